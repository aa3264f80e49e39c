// Offline checks of rendered Kubernetes manifests (the output of `kubectl kustomize`):
//   - every object against its schema: Kubernetes 1.34 API (npm kubernetes-models), KEDA (npm
//     @kubernetes-models/keda); Strimzi has no schema package on a registry we reach, so its three kinds get the
//     structural check below (fields, types, enums, and no unknown spec fields);
//   - house policies: probes on every long-running container, pinned image tags, no literal secret value anywhere,
//     KEDA consumers bounded by partitions, topics as declared in deploy/local/kafka/topics.txt, references that
//     resolve, the Ingress routing what deploy/local/nginx/nginx.conf routes.
// Each function returns a list of problems (strings); an empty list means the check passed.

import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

/** Parses a multi-document YAML string; a syntax error is a problem, not an exception. */
export function parseManifests(text, source = "input") {
  const objects = [];
  const problems = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      problems.push(`${source}: YAML error: ${doc.errors[0].message}`);
      continue;
    }
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    objects.push(value);
  }
  return { objects, problems };
}

export function describe(obj) {
  const ns = obj?.metadata?.namespace ? `${obj.metadata.namespace}/` : "";
  return `${obj?.kind ?? "?"} ${ns}${obj?.metadata?.name ?? "?"}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas

const KEDA_GROUP = "keda.sh";
const STRIMZI_GROUP = "kafka.strimzi.io";

/** Loads the kubernetes-models class of an apiVersion/kind, or null when there is none. */
async function modelFor(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z0-9]+$/.test(kind)) return null;
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  const candidates =
    group === KEDA_GROUP
      ? [`@kubernetes-models/keda/${apiVersion}/${kind}`]
      : [`kubernetes-models/${apiVersion}/${kind}`];
  for (const id of candidates) {
    let mod;
    try {
      mod = await import(id);
    } catch (e) {
      if (e?.code === "ERR_MODULE_NOT_FOUND" || e?.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") continue;
      throw e;
    }
    if (typeof mod[kind] === "function") return mod[kind];
  }
  return null;
}

export async function checkSchemas(objects) {
  const problems = [];
  for (const obj of objects) {
    if (typeof obj !== "object" || Array.isArray(obj)) {
      problems.push(`schema: a document is not an object`);
      continue;
    }
    const group = typeof obj.apiVersion === "string" && obj.apiVersion.includes("/") ? obj.apiVersion.split("/")[0] : "";
    if (group === STRIMZI_GROUP) {
      problems.push(...checkStrimziStructure(obj));
      continue;
    }
    const Model = await modelFor(obj.apiVersion, obj.kind);
    if (!Model) {
      problems.push(`schema: ${describe(obj)}: no schema for apiVersion ${obj.apiVersion}, kind ${obj.kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      const detail = String(e.message || e).split("\n").slice(0, 3).join("; ");
      problems.push(`schema: ${describe(obj)}: ${detail}`);
    }
  }
  return problems;
}

// Strimzi (kafka.strimzi.io/v1beta2 and v1): the fields Latchkey's manifests may use, with their types. Anything
// else under spec is reported, so a misspelt key does not pass silently.
const isInt = (v) => Number.isInteger(v);
const isStr = (v) => typeof v === "string" && v.length > 0;
const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isScalar = (v) => ["string", "number", "boolean"].includes(typeof v);

function unknownKeys(where, value, allowed, problems) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.push(`${where}: unknown field "${key}" (allowed: ${allowed.join(", ")})`);
  }
}

function checkStorage(where, storage, problems) {
  if (!isObj(storage)) return problems.push(`${where}: must be an object`);
  const types = ["ephemeral", "persistent-claim", "jbod"];
  if (!types.includes(storage.type)) return problems.push(`${where}.type: must be one of ${types.join(", ")}`);
  if (storage.type === "jbod") {
    unknownKeys(where, storage, ["type", "volumes"], problems);
    if (!Array.isArray(storage.volumes) || storage.volumes.length === 0) {
      return problems.push(`${where}.volumes: must be a non-empty list`);
    }
    storage.volumes.forEach((v, i) => {
      const w = `${where}.volumes[${i}]`;
      if (!isObj(v)) return problems.push(`${w}: must be an object`);
      if (!isInt(v.id) || v.id < 0) problems.push(`${w}.id: must be an integer >= 0`);
      if (v.type === "jbod") problems.push(`${w}.type: jbod volumes cannot nest`);
      checkVolume(w, v, problems);
    });
  } else {
    checkVolume(where, storage, problems);
  }
}

function checkVolume(where, v, problems) {
  if (!["ephemeral", "persistent-claim"].includes(v.type)) {
    return problems.push(`${where}.type: must be ephemeral or persistent-claim`);
  }
  unknownKeys(where, v, ["id", "type", "size", "sizeLimit", "class", "deleteClaim", "kraftMetadata", "selector"], problems);
  if (v.type === "persistent-claim" && !/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.test(String(v.size ?? ""))) {
    problems.push(`${where}.size: a persistent-claim needs a quantity such as 5Gi`);
  }
  if (v.deleteClaim !== undefined && typeof v.deleteClaim !== "boolean") problems.push(`${where}.deleteClaim: must be a boolean`);
  if (v.kraftMetadata !== undefined && v.kraftMetadata !== "shared") problems.push(`${where}.kraftMetadata: must be "shared"`);
}

function checkResources(where, r, problems) {
  if (r === undefined) return;
  if (!isObj(r)) return problems.push(`${where}: must be an object`);
  unknownKeys(where, r, ["requests", "limits"], problems);
  for (const part of ["requests", "limits"]) {
    if (r[part] === undefined) continue;
    if (!isObj(r[part])) { problems.push(`${where}.${part}: must be an object`); continue; }
    for (const [k, v] of Object.entries(r[part])) {
      if (!isScalar(v)) problems.push(`${where}.${part}.${k}: must be a quantity`);
    }
  }
}

export function checkStrimziStructure(obj) {
  const problems = [];
  const where = `strimzi: ${describe(obj)}`;
  if (!["kafka.strimzi.io/v1beta2", "kafka.strimzi.io/v1"].includes(obj.apiVersion)) {
    problems.push(`${where}: apiVersion must be kafka.strimzi.io/v1beta2 or kafka.strimzi.io/v1`);
  }
  if (!isStr(obj.metadata?.name)) problems.push(`${where}: metadata.name is required`);
  unknownKeys(where, obj, ["apiVersion", "kind", "metadata", "spec"], problems);
  const spec = obj.spec;
  if (!isObj(spec)) return [...problems, `${where}: spec is required`];
  const cluster = obj.metadata?.labels?.["strimzi.io/cluster"];

  switch (obj.kind) {
    case "Kafka": {
      unknownKeys(`${where} spec`, spec, ["kafka", "entityOperator", "cruiseControl", "kafkaExporter"], problems);
      if (spec.zookeeper !== undefined) problems.push(`${where}: spec.zookeeper is gone (Strimzi runs KRaft only)`);
      const k = spec.kafka;
      if (!isObj(k)) { problems.push(`${where}: spec.kafka is required`); break; }
      unknownKeys(`${where} spec.kafka`, k,
        ["version", "metadataVersion", "listeners", "config", "authorization", "rack", "resources", "template",
          "jvmOptions", "logging", "metricsConfig", "replicas", "storage"], problems);
      if (k.version !== undefined && !/^[0-9]+\.[0-9]+\.[0-9]+$/.test(String(k.version))) {
        problems.push(`${where}: spec.kafka.version must look like 4.1.0`);
      }
      if (!Array.isArray(k.listeners) || k.listeners.length === 0) {
        problems.push(`${where}: spec.kafka.listeners must be a non-empty list`);
      } else {
        const types = ["internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip"];
        const names = new Set();
        k.listeners.forEach((l, i) => {
          const w = `${where} spec.kafka.listeners[${i}]`;
          if (!isObj(l)) return problems.push(`${w}: must be an object`);
          unknownKeys(w, l, ["name", "port", "type", "tls", "authentication", "configuration", "networkPolicyPeers"], problems);
          if (!/^[a-z0-9]{1,11}$/.test(String(l.name ?? ""))) problems.push(`${w}.name: 1-11 lower-case letters or digits`);
          if (names.has(l.name)) problems.push(`${w}.name: duplicate listener name`);
          names.add(l.name);
          if (!isInt(l.port) || l.port < 9092 || [9404, 9999].includes(l.port)) problems.push(`${w}.port: an integer >= 9092, not 9404 or 9999`);
          if (!types.includes(l.type)) problems.push(`${w}.type: one of ${types.join(", ")}`);
          if (typeof l.tls !== "boolean") problems.push(`${w}.tls: a boolean is required`);
        });
      }
      if (k.config !== undefined) {
        if (!isObj(k.config)) problems.push(`${where}: spec.kafka.config must be an object`);
        else for (const [key, v] of Object.entries(k.config)) if (!isScalar(v)) problems.push(`${where}: spec.kafka.config.${key} must be a scalar`);
      }
      if (k.storage !== undefined) checkStorage(`${where} spec.kafka.storage`, k.storage, problems);
      checkResources(`${where} spec.kafka.resources`, k.resources, problems);
      if (spec.entityOperator !== undefined) {
        if (!isObj(spec.entityOperator)) problems.push(`${where}: spec.entityOperator must be an object`);
        else unknownKeys(`${where} spec.entityOperator`, spec.entityOperator, ["topicOperator", "userOperator", "template"], problems);
      }
      break;
    }
    case "KafkaNodePool": {
      if (!isStr(cluster)) problems.push(`${where}: label strimzi.io/cluster is required`);
      unknownKeys(`${where} spec`, spec, ["replicas", "roles", "storage", "resources", "jvmOptions", "template"], problems);
      if (!isInt(spec.replicas) || spec.replicas < 0) problems.push(`${where}: spec.replicas must be an integer >= 0`);
      if (!Array.isArray(spec.roles) || spec.roles.length === 0 || !spec.roles.every((r) => ["controller", "broker"].includes(r))) {
        problems.push(`${where}: spec.roles must list controller and/or broker`);
      }
      checkStorage(`${where} spec.storage`, spec.storage, problems);
      checkResources(`${where} spec.resources`, spec.resources, problems);
      break;
    }
    case "KafkaTopic": {
      if (!isStr(cluster)) problems.push(`${where}: label strimzi.io/cluster is required`);
      unknownKeys(`${where} spec`, spec, ["partitions", "replicas", "config", "topicName"], problems);
      if (!isInt(spec.partitions) || spec.partitions < 1) problems.push(`${where}: spec.partitions must be an integer >= 1`);
      if (!isInt(spec.replicas) || spec.replicas < 1 || spec.replicas > 32767) problems.push(`${where}: spec.replicas must be an integer 1-32767`);
      if (spec.topicName !== undefined && !isStr(spec.topicName)) problems.push(`${where}: spec.topicName must be a string`);
      if (spec.config !== undefined) {
        if (!isObj(spec.config)) problems.push(`${where}: spec.config must be an object`);
        else for (const [key, v] of Object.entries(spec.config)) if (!isScalar(v)) problems.push(`${where}: spec.config.${key} must be a scalar`);
      }
      break;
    }
    default:
      problems.push(`${where}: no structural check for Strimzi kind ${obj.kind}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Workloads and containers

const POD_TEMPLATE_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"];
// Long-running workloads: their containers must say when they are alive and when they may take traffic.
const LONG_RUNNING_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod"];

function podSpecOf(obj) {
  if (obj.kind === "Pod") return obj.spec;
  if (obj.kind === "CronJob") return obj.spec?.jobTemplate?.spec?.template?.spec;
  if (POD_TEMPLATE_KINDS.includes(obj.kind)) return obj.spec?.template?.spec;
  return undefined;
}

function containersOf(obj) {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  return [
    ...(spec.initContainers ?? []).map((c) => ({ c, init: true })),
    ...(spec.containers ?? []).map((c) => ({ c, init: false })),
  ];
}

export function checkProbes(objects) {
  const problems = [];
  for (const obj of objects) {
    if (!LONG_RUNNING_KINDS.includes(obj.kind)) continue;
    for (const { c, init } of containersOf(obj)) {
      if (init) continue;
      for (const probe of ["livenessProbe", "readinessProbe"]) {
        if (!isObj(c[probe])) problems.push(`probes: ${describe(obj)}: container ${c.name} has no ${probe}`);
      }
    }
  }
  return problems;
}

/** Splits an image reference into name, tag and digest. */
export function parseImage(ref) {
  let rest = String(ref);
  let digest = null;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  let tag = null;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

export function checkImages(objects) {
  const problems = [];
  for (const obj of objects) {
    for (const { c } of containersOf(obj)) {
      const where = `images: ${describe(obj)}: container ${c.name}`;
      if (!isStr(c.image)) { problems.push(`${where} has no image`); continue; }
      const { tag, digest } = parseImage(c.image);
      if (digest !== null) {
        if (!/^sha256:[0-9a-f]{64}$/.test(digest)) problems.push(`${where}: malformed digest in ${c.image}`);
        continue;
      }
      if (tag === null || tag === "") problems.push(`${where}: image ${c.image} has no tag (pin a version or a digest)`);
      else if (tag.toLowerCase() === "latest") problems.push(`${where}: image ${c.image} uses the "latest" tag (pin a version or a digest)`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets: values belong in Secrets created on the cluster (deploy/README.md), never in these files.

/** Whether a variable or key name says that its value is a credential. */
export function isSecretName(name) {
  const parts = String(name).toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  if (parts.some((p) => ["PASSWORD", "PASSWD", "PWD", "SECRET", "SECRETS", "JAAS", "CREDENTIAL", "CREDENTIALS", "APIKEY", "PASSPHRASE"].includes(p))) {
    return true;
  }
  for (let i = 1; i < parts.length; i++) {
    if (parts[i] === "KEY" && ["PRIVATE", "API", "ACCESS", "SIGNING", "ENCRYPTION"].includes(parts[i - 1])) return true;
  }
  return parts.length > 0 && ["TOKEN", "AUTHTOKEN"].includes(parts[parts.length - 1]);
}

const SECRET_VALUE_PATTERNS = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a PEM private key"],
  [/[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i, "a URL with a password in it"],
  [/\bpassword\s*=\s*"[^"$][^"]*"/i, "a password assignment (JAAS or similar)"],
  [/^[A-Za-z0-9+/]{43}=$/, "a base64 32-byte key"],
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\bSK[0-9a-f]{32}\b/, "a Twilio API key"],
];

/** Names a credential-looking string, or returns null. */
export function secretLookingValue(value) {
  if (typeof value !== "string") return null;
  for (const [pattern, what] of SECRET_VALUE_PATTERNS) if (pattern.test(value)) return what;
  return null;
}

function walkStrings(value, path, visit) {
  if (typeof value === "string") return visit(value, path);
  if (Array.isArray(value)) return value.forEach((v, i) => walkStrings(v, `${path}[${i}]`, visit));
  if (isObj(value)) for (const [k, v] of Object.entries(value)) walkStrings(v, path ? `${path}.${k}` : k, visit);
}

export function checkNoSecretValues(objects) {
  const problems = [];
  for (const obj of objects) {
    const where = `secrets: ${describe(obj)}`;
    if (obj.kind === "Secret") {
      for (const field of ["data", "stringData"]) {
        const entries = isObj(obj[field]) ? Object.entries(obj[field]) : [];
        for (const [k, v] of entries) {
          if (v !== null && v !== "") problems.push(`${where}: ${field}.${k} carries a value; create Secrets on the cluster, never in manifests`);
        }
      }
    }
    if (obj.kind === "ConfigMap") {
      for (const field of ["data", "binaryData"]) {
        for (const [k, v] of Object.entries(isObj(obj[field]) ? obj[field] : {})) {
          if (isSecretName(k) && v !== null && v !== "") problems.push(`${where}: ${field}.${k} looks like a credential; reference a Secret instead`);
        }
      }
    }
    for (const { c } of containersOf(obj)) {
      for (const e of c.env ?? []) {
        if (e && typeof e.value === "string" && e.value !== "" && isSecretName(e.name)) {
          problems.push(`${where}: container ${c.name} sets ${e.name} to a literal; use valueFrom.secretKeyRef`);
        }
      }
    }
    walkStrings(obj, "", (s, path) => {
      const what = secretLookingValue(s);
      if (what) problems.push(`${where}: ${path} holds ${what}`);
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Kafka topics and KEDA

/** Reads deploy/local/kafka/topics.txt: name -> { partitions, config }. */
export function readTopics(path) {
  const topics = new Map();
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const [name, partitions, configs] = line.split(/\s+/);
    const config = {};
    if (configs && configs !== "-") {
      for (const kv of configs.split(",")) {
        const i = kv.indexOf("=");
        config[kv.slice(0, i)] = kv.slice(i + 1);
      }
    }
    topics.set(name, { partitions: Number(partitions), config });
  }
  return topics;
}

export function checkKeda(objects, topics) {
  const problems = [];
  const deployments = new Map(objects.filter((o) => o.kind === "Deployment").map((o) => [o.metadata?.name, o]));
  for (const obj of objects.filter((o) => o.kind === "ScaledObject")) {
    const where = `keda: ${describe(obj)}`;
    const target = obj.spec?.scaleTargetRef;
    if ((target?.kind ?? "Deployment") === "Deployment" && !deployments.has(target?.name)) {
      problems.push(`${where}: scaleTargetRef ${target?.name} is not a Deployment of this render`);
    }
    const max = obj.spec?.maxReplicaCount ?? 100;
    for (const [i, t] of (obj.spec?.triggers ?? []).entries()) {
      if (t.type !== "kafka") continue;
      const m = t.metadata ?? {};
      const w = `${where}: trigger ${i}`;
      for (const key of ["bootstrapServers", "consumerGroup", "topic"]) if (!isStr(m[key])) problems.push(`${w}: metadata.${key} is required`);
      if (String(m.allowIdleConsumers) === "true") problems.push(`${w}: allowIdleConsumers would let KEDA run consumers that get no partition`);
      if (topics && isStr(m.topic)) {
        const topic = topics.get(m.topic);
        if (!topic) problems.push(`${w}: topic ${m.topic} is not in deploy/local/kafka/topics.txt`);
        else if (max > topic.partitions) {
          problems.push(`${w}: maxReplicaCount ${max} exceeds the ${topic.partitions} partitions of ${m.topic} (more consumers than partitions sit idle)`);
        }
      }
    }
  }
  return problems;
}

/** The KafkaTopics of a render must be exactly the topics of topics.txt (names, partitions, configs). */
export function checkTopicsMatch(objects, topics) {
  const declared = objects.filter((o) => o.kind === "KafkaTopic");
  if (declared.length === 0 || !topics) return [];
  const problems = [];
  const seen = new Set();
  for (const t of declared) {
    const name = t.spec?.topicName ?? t.metadata?.name;
    seen.add(name);
    const want = topics.get(name);
    const where = `topics: ${describe(t)}`;
    if (!want) { problems.push(`${where}: not in deploy/local/kafka/topics.txt`); continue; }
    if (t.spec?.partitions !== want.partitions) problems.push(`${where}: ${t.spec?.partitions} partitions, topics.txt says ${want.partitions}`);
    const got = Object.fromEntries(Object.entries(t.spec?.config ?? {}).map(([k, v]) => [k, String(v)]));
    for (const [k, v] of Object.entries(want.config)) if (got[k] !== v) problems.push(`${where}: config ${k}=${got[k]}, topics.txt says ${v}`);
    for (const k of Object.keys(got)) if (!(k in want.config)) problems.push(`${where}: config ${k} is not in topics.txt`);
  }
  for (const name of topics.keys()) if (!seen.has(name)) problems.push(`topics: ${name} of topics.txt has no KafkaTopic`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// References inside one render

export function checkReferences(objects, documentedSecrets) {
  const problems = [];
  const configMaps = new Set(objects.filter((o) => o.kind === "ConfigMap").map((o) => o.metadata?.name));
  for (const obj of objects) {
    const spec = podSpecOf(obj);
    if (!spec) continue;
    const where = `references: ${describe(obj)}`;
    const secretNames = new Set();
    for (const { c } of containersOf(obj)) {
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef && !from.configMapRef.optional && !configMaps.has(from.configMapRef.name)) {
          problems.push(`${where}: envFrom ConfigMap ${from.configMapRef.name} is not in this render`);
        }
        if (from.secretRef) secretNames.add(from.secretRef.name);
      }
      for (const e of c.env ?? []) {
        const cm = e.valueFrom?.configMapKeyRef;
        if (cm && !cm.optional && !configMaps.has(cm.name)) problems.push(`${where}: ${e.name} reads ConfigMap ${cm.name}, not in this render`);
        if (e.valueFrom?.secretKeyRef) secretNames.add(e.valueFrom.secretKeyRef.name);
      }
    }
    for (const v of spec.volumes ?? []) {
      if (v.configMap && !v.configMap.optional && !configMaps.has(v.configMap.name)) problems.push(`${where}: volume ConfigMap ${v.configMap.name} is not in this render`);
      if (v.secret) secretNames.add(v.secret.secretName);
    }
    if (documentedSecrets) {
      for (const s of secretNames) if (!documentedSecrets.has(s)) problems.push(`${where}: Secret ${s} is not among the Secrets deploy/README.md tells operators to create`);
    }
  }
  for (const ing of objects.filter((o) => o.kind === "Ingress")) {
    const services = new Set(objects.filter((o) => o.kind === "Service").map((o) => o.metadata?.name));
    for (const rule of ing.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const name = p.backend?.service?.name;
        if (name && !services.has(name)) problems.push(`references: ${describe(ing)}: path ${p.path} routes to Service ${name}, not in this render`);
      }
    }
  }
  return problems;
}

/** Runs every per-render check. */
export async function checkRender(objects, { topics, documentedSecrets, nginxConf } = {}) {
  const results = [
    ["schemas", await checkSchemas(objects)],
    ["probes", checkProbes(objects)],
    ["images", checkImages(objects)],
    ["secrets", checkNoSecretValues(objects)],
    ["keda", checkKeda(objects, topics)],
    ["topics", checkTopicsMatch(objects, topics)],
    ["references", checkReferences(objects, documentedSecrets)],
    ["ingress", checkIngressMatchesNginx(objects, nginxConf)],
  ];
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// The Ingress routes what deploy/local/nginx/nginx.conf routes (one public origin, locally and on a cluster).

// nginx upstream -> Kubernetes Service.
const UPSTREAM_SERVICES = { otp: "otp-service", token: "token-service", admin: "admin-service", delivery: "delivery-sms" };
// Local only: the SMS outbox of machines without Twilio (never public on a cluster), and the demo app, which only
// the dev overlay routes.
const LOCAL_ONLY = { "/dev/outbox/": "always", "/demo": "unless routed" };

/** The proxied locations of nginx.conf as Ingress paths: [{ path, pathType, service, source }]. */
export function nginxRoutes(nginxConf) {
  const routes = [];
  for (const m of nginxConf.matchAll(/^\s*location\s+(=\s*)?(\S+)\s*\{\s*proxy_pass\s+http:\/\/([a-z0-9_-]+)[^;]*;\s*\}/gm)) {
    const [, exact, location, upstream] = m;
    const path = exact || location === "/" ? location : location.replace(/\/$/, "");
    routes.push({ path, pathType: exact ? "Exact" : "Prefix", service: UPSTREAM_SERVICES[upstream] ?? `(upstream ${upstream})`, source: location });
  }
  return routes;
}

export function checkIngressMatchesNginx(objects, nginxConf) {
  const ingresses = objects.filter((o) => o.kind === "Ingress");
  if (ingresses.length === 0 || typeof nginxConf !== "string") return [];
  const problems = [];
  const paths = [];
  for (const ing of ingresses) {
    for (const rule of ing.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) paths.push({ path: p.path, pathType: p.pathType, service: p.backend?.service?.name });
    }
  }
  const key = (r) => `${r.pathType} ${r.path} -> ${r.service}`;
  const have = new Set(paths.map(key));
  const routes = nginxRoutes(nginxConf);
  if (routes.length === 0) return ["ingress: no proxied location found in deploy/local/nginx/nginx.conf"];
  for (const r of routes) {
    const localOnly = LOCAL_ONLY[r.source] ?? LOCAL_ONLY[r.path];
    if (localOnly === "always") continue;
    if (localOnly === "unless routed" && !paths.some((p) => p.path === r.path)) continue;
    if (!have.has(key(r))) problems.push(`ingress: nginx.conf routes location ${r.source} to ${r.service}; the Ingress has no ${key(r)}`);
  }
  const want = new Set(routes.map(key));
  for (const p of paths) {
    if (!want.has(key(p))) problems.push(`ingress: the Ingress routes ${key(p)}, which deploy/local/nginx/nginx.conf does not`);
  }
  return problems;
}
