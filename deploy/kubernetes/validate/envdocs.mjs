// What the services read from the environment, what the manifests set, and what deploy/README.md documents:
// the three must agree, so a typo in a manifest or an undocumented variable fails the check.

import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";

const SERVICES = ["otp-service", "token-service", "delivery-service", "admin-service", "common"];
const NAME = /LATCHKEY_[A-Z0-9_]*[A-Z0-9]/g;

function javaFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...javaFiles(p));
    else if (entry.endsWith(".java")) out.push(p);
  }
  return out;
}

/**
 * The variables the services read: `${LATCHKEY_…:default}` in application.properties and in common's
 * META-INF/microprofile-config.properties (with the property and its
 * default), and `LATCHKEY_…` named in main Java sources (the Javadoc of @ConfigMapping keys).
 * Returns name -> [{ module, property, default }].
 */
export function variablesRead(root) {
  const read = new Map();
  const add = (name, entry) => {
    if (!read.has(name)) read.set(name, []);
    read.get(name).push(entry);
  };
  for (const module of SERVICES) {
    // application.properties of each service; the defaults common shares with all four (microprofile-config).
    for (const props of [join(root, module, "src/main/resources/application.properties"),
      join(root, module, "src/main/resources/META-INF/microprofile-config.properties")]) {
    if (existsSync(props)) {
      for (const raw of readFileSync(props, "utf8").split("\n")) {
        const line = raw.trim();
        if (line.startsWith("#") || !line.includes("=")) continue;
        const property = line.slice(0, line.indexOf("=")).trim();
        for (const m of line.matchAll(/\$\{(LATCHKEY_[A-Z0-9_]+)(?::([^}]*))?\}/g)) {
          add(m[1], { module, property, default: m[2] ?? null });
        }
      }
    }
    }
    for (const file of javaFiles(join(root, module, "src/main/java"))) {
      for (const m of readFileSync(file, "utf8").matchAll(NAME)) add(m[0], { module, property: null, default: null });
    }
  }
  return read;
}

/** LATCHKEY_ names a render sets: ConfigMap keys and container env names. */
export function variablesSet(objects) {
  const set = new Set();
  for (const obj of objects) {
    if (obj.kind === "ConfigMap") for (const k of Object.keys(obj.data ?? {})) if (k.startsWith("LATCHKEY_")) set.add(k);
    const spec = obj.spec?.template?.spec;
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
      for (const e of c.env ?? []) if (String(e.name).startsWith("LATCHKEY_")) set.add(e.name);
    }
  }
  return set;
}

export function namesIn(text) {
  return new Set([...text.matchAll(NAME)].map((m) => m[0]));
}

/** Secret names deploy/README.md tells operators to create (`kubectl create secret <type> NAME`). */
export function documentedSecrets(readme) {
  return new Set([...readme.matchAll(/kubectl(?:\s+-n\s+\S+)?\s+create\s+secret\s+(?:generic|tls)\s+([a-z0-9-]+)/g)].map((m) => m[1]));
}

export function readPending(path) {
  if (!existsSync(path)) return new Set();
  return new Set(
    readFileSync(path, "utf8")
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim())
      .filter(Boolean),
  );
}

export const TABLE_START = "<!-- env-table:start -->";
export const TABLE_END = "<!-- env-table:end -->";

/** The environment variable table of deploy/README.md (between the two markers), or null. */
export function envTableOf(readme) {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  return start >= 0 && end > start ? readme.slice(start + TABLE_START.length, end) : null;
}

/**
 * read: variablesRead(); set: union of variablesSet() of every render; readme: text of deploy/README.md, whose
 * table between the env-table markers must list every variable read (prose elsewhere may name more, such as keys
 * of @ConfigMapping interfaces set through their environment names); pending: names a manifest may set before the
 * service that will read them lands.
 */
export function checkEnvDocs({ read, set, readme, pending }) {
  const problems = [];
  const notes = [];
  const table = envTableOf(readme);
  if (table === null) problems.push(`env: deploy/README.md has no environment variable table between ${TABLE_START} and ${TABLE_END}`);
  const documented = namesIn(table ?? "");
  for (const name of [...read.keys()].sort()) {
    if (!documented.has(name)) problems.push(`env: ${name} is read by ${modules(read.get(name))} but not in the table of deploy/README.md`);
  }
  for (const name of [...set].sort()) {
    if (read.has(name)) continue;
    if (pending.has(name)) notes.push(`env: ${name} is set by the manifests and awaited from its service (validate/pending-env.txt)`);
    else problems.push(`env: the manifests set ${name}, which no service reads (typo? or add it to validate/pending-env.txt)`);
  }
  for (const name of [...documented].sort()) {
    if (!read.has(name) && !pending.has(name)) problems.push(`env: the table of deploy/README.md lists ${name}, which no service reads`);
  }
  for (const name of [...pending].sort()) {
    if (read.has(name)) notes.push(`env: ${name} is now read by ${modules(read.get(name))}; remove it from validate/pending-env.txt`);
  }
  return { problems, notes };
}

function modules(entries) {
  return [...new Set(entries.map((e) => e.module))].join(", ");
}

/** A Markdown table of the variables read (for deploy/README.md; descriptions are written by hand there). */
export function envTable(read) {
  const rows = ["| variable | read by | sets | default |", "|---|---|---|---|"];
  for (const name of [...read.keys()].sort()) {
    const entries = read.get(name);
    const withProp = entries.filter((e) => e.property);
    const props = [...new Set(withProp.map((e) => `\`${e.property}\``))].join(", ") || "(read in code)";
    const defaults = [...new Set(withProp.map((e) => e.default).filter((d) => d !== null && d !== ""))];
    rows.push(`| \`${name}\` | ${modules(entries)} | ${props} | ${defaults.map((d) => `\`${d}\``).join(", ") || "—"} |`);
  }
  return rows.join("\n");
}
