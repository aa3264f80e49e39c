// Checks rendered overlays; called by deploy/kubernetes/validate.sh:
//   node validate.mjs --root <repo> NAME=rendered.yaml [NAME=rendered.yaml ...]
// Prints one line per check and render, then a summary; exits 1 when any check found a problem.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseManifests, checkRender, readTopics } from "./checks.mjs";
import { variablesRead, variablesSet, checkEnvDocs, documentedSecrets, readPending } from "./envdocs.mjs";

const args = process.argv.slice(2);
let root = null;
const renders = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--root") root = args[++i];
  else renders.push(args[i].split("=", 2));
}
if (!root || renders.length === 0) {
  console.error("usage: node validate.mjs --root <repo> NAME=rendered.yaml ...");
  process.exit(2);
}

const here = new URL(".", import.meta.url).pathname;
const topics = readTopics(join(root, "deploy/local/kafka/topics.txt"));
const readme = readFileSync(join(root, "deploy/README.md"), "utf8");
const secrets = documentedSecrets(readme);
const nginxPath = join(root, "deploy/local/nginx/nginx.conf");
// Without the local routing there is nothing to compare the Ingress with (the check then reports no problem).
const nginxConf = existsSync(nginxPath) ? readFileSync(nginxPath, "utf8") : null;

let problems = 0;
let objectsChecked = 0;
const allSet = new Set();
for (const [name, file] of renders) {
  const parsed = parseManifests(readFileSync(file, "utf8"), name);
  objectsChecked += parsed.objects.length;
  for (const p of parsed.problems) console.log(`  FAIL ${name}: ${p}`);
  problems += parsed.problems.length;
  for (const [check, found] of await checkRender(parsed.objects, { topics, documentedSecrets: secrets, nginxConf })) {
    console.log(`${found.length === 0 ? "ok  " : "FAIL"} ${name}: ${check}${found.length ? ` (${found.length})` : ""}`);
    for (const p of found) console.log(`       ${p}`);
    problems += found.length;
  }
  for (const v of variablesSet(parsed.objects)) allSet.add(v);
}

const env = checkEnvDocs({
  read: variablesRead(root),
  set: allSet,
  readme,
  pending: readPending(join(here, "pending-env.txt")),
});
console.log(`${env.problems.length === 0 ? "ok  " : "FAIL"} environment variables: read by the services = documented in deploy/README.md, set by the manifests = read${env.problems.length ? ` (${env.problems.length})` : ""}`);
for (const p of env.problems) console.log(`       ${p}`);
for (const n of env.notes) console.log(`       note: ${n}`);
problems += env.problems.length;

const names = renders.map(([n]) => n).join(", ");
if (problems === 0) {
  console.log(`kubernetes manifests: OK (${names}: ${objectsChecked} objects; schemas, probes, pinned images, no secret values, KEDA within partitions, topics, references, Ingress = nginx.conf, env docs)`);
} else {
  console.log(`kubernetes manifests: FAILED with ${problems} problem(s) (${names})`);
  process.exitCode = 1;
}
