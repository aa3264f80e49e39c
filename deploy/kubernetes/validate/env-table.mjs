// Prints the environment variables the services read, as a Markdown table, to refresh the table of
// deploy/README.md (between its env-table markers; the "what it is" column there is written by hand):
//   node deploy/kubernetes/validate/env-table.mjs
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { envTable, variablesRead } from "./envdocs.mjs";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "../../..");
console.log(envTable(variablesRead(root)));
