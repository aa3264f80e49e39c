// Each check must reject the fixture made to break it, and pass the good one: a check that cannot fail would
// fail here. Run: cd deploy/kubernetes/validate && node --test test/policies.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { parseManifests, checkRender, parseImage, isSecretName, secretLookingValue, readTopics, checkIngressMatchesNginx, nginxRoutes } from "../checks.mjs";
import { checkEnvDocs, documentedSecrets, variablesRead, envTable } from "../envdocs.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../../..");
const topics = readTopics(join(root, "deploy/local/kafka/topics.txt"));
const secrets = new Set(["latchkey-platform", "latchkey-token-db"]);

async function problemsOf(fixture) {
  const { objects, problems } = parseManifests(readFileSync(join(here, "fixtures", fixture), "utf8"), fixture);
  assert.deepEqual(problems, [], "fixture parses");
  const byCheck = Object.fromEntries(await checkRender(objects, { topics, documentedSecrets: secrets }));
  return byCheck;
}

/** The fixture fails exactly the named check, with a problem matching the pattern; all other checks pass. */
async function failsOnly(fixture, check, pattern) {
  const byCheck = await problemsOf(fixture);
  assert.ok(byCheck[check].some((p) => pattern.test(p)), `${check} should report ${pattern} for ${fixture}; got ${JSON.stringify(byCheck[check])}`);
  for (const [other, found] of Object.entries(byCheck)) {
    if (other !== check) assert.deepEqual(found, [], `${fixture} should pass ${other}`);
  }
}

test("the good fixture passes every check", async () => {
  for (const [check, found] of Object.entries(await problemsOf("good.yaml"))) assert.deepEqual(found, [], check);
});

test("a container without a livenessProbe fails", () => failsOnly("missing-liveness.yaml", "probes", /container web has no livenessProbe/));
test("a container without a readinessProbe fails (misspelt key)", () => failsOnly("missing-readiness.yaml", "probes", /container db has no readinessProbe/));
test("an image on the latest tag fails", () => failsOnly("image-latest.yaml", "images", /uses the "latest" tag/));
test("an image without a tag fails, even behind a registry port", () => failsOnly("image-untagged.yaml", "images", /migrate: image .* has no tag/));
test("a Secret with a value fails", () => failsOnly("secret-with-value.yaml", "secrets", /stringData.password carries a value/));
test("a literal password in a container env fails", () => failsOnly("env-literal-secret.yaml", "secrets", /sets LATCHKEY_TOKEN_DB_PASSWORD to a literal/));
test("a URL with a password fails", () => failsOnly("url-with-password.yaml", "secrets", /a URL with a password/));
test("a schema violation fails", () => failsOnly("schema-wrong-type.yaml", "schemas", /spec\/replicas must be integer/));
test("a kind without a schema fails", () => failsOnly("schema-unknown-kind.yaml", "schemas", /no schema for apiVersion example.com\/v1, kind Widget/));
test("KEDA above the partitions of its topic fails", () => failsOnly("keda-over-partitions.yaml", "keda", /maxReplicaCount 12 exceeds the 6 partitions of otp.delivery.email/));

test("the platform key in a ConfigMap fails on its name and on its value", async () => {
  const { secrets: found } = await problemsOf("configmap-secret-key.yaml");
  assert.ok(found.some((p) => /data.LATCHKEY_SECRET_KEY looks like a credential/.test(p)), JSON.stringify(found));
  assert.ok(found.some((p) => /holds a base64 32-byte key/.test(p)), JSON.stringify(found));
});

test("Strimzi resources get a structural check", async () => {
  const byCheck = await problemsOf("strimzi-bad.yaml");
  const s = byCheck.schemas.join("\n");
  assert.match(s, /spec.partitions must be an integer/);
  assert.match(s, /unknown field "replica"/);
  assert.match(s, /spec.roles must list controller and\/or broker/);
});

test("KafkaTopics that drift from topics.txt fail", async () => {
  const t = (await problemsOf("topics-drift.yaml")).topics.join("\n");
  assert.match(t, /3 partitions, topics.txt says 6/);
  assert.match(t, /otp.delivery.email of topics.txt has no KafkaTopic/);
});

test("dangling ConfigMap references and undocumented Secrets fail", async () => {
  const r = (await problemsOf("dangling-references.yaml")).references.join("\n");
  assert.match(r, /envFrom ConfigMap web-config is not in this render/);
  assert.match(r, /Secret smtp-credentials is not among the Secrets deploy\/README.md tells operators to create/);
});

test("image references are parsed with registry ports and digests", () => {
  assert.deepEqual(parseImage("registry:5000/a/b"), { name: "registry:5000/a/b", tag: null, digest: null });
  assert.deepEqual(parseImage("a/b:1.0"), { name: "a/b", tag: "1.0", digest: null });
  assert.equal(parseImage("a/b@sha256:" + "0".repeat(64)).digest, "sha256:" + "0".repeat(64));
});

test("credential names and values are recognised, ordinary ones are not", () => {
  for (const n of ["LATCHKEY_SECRET_KEY", "LATCHKEY_SMTP_PASSWORD", "KAFKA_SASL_JAAS_CONFIG", "TWILIO_AUTH_TOKEN", "AWS_ACCESS_KEY"]) assert.ok(isSecretName(n), n);
  for (const n of ["LATCHKEY_TOKEN_DB_URL", "LATCHKEY_TOKEN_SERVICE_URL", "LATCHKEY_MANAGEMENT_CLIENT_ID", "LATCHKEY_KAFKA_BOOTSTRAP"]) assert.ok(!isSecretName(n), n);
  assert.equal(secretLookingValue("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";"), "a password assignment (JAAS or similar)");
  assert.equal(secretLookingValue("redis://redis:6379"), null);
  assert.equal(secretLookingValue("postgresql://postgres.example.internal:5432/latchkey_token?sslmode=require"), null);
});

test("environment variables: undocumented, unread and pending names", () => {
  const read = new Map([
    ["LATCHKEY_A", [{ module: "otp-service", property: "a", default: "1" }]],
    ["LATCHKEY_B", [{ module: "token-service", property: "b", default: null }]],
  ]);
  const readme = "Prose may name LATCHKEY_B_SOMETHING.\n<!-- env-table:start -->\n| `LATCHKEY_A` | this |\n| `LATCHKEY_GONE` | that |\n<!-- env-table:end -->";
  const { problems, notes } = checkEnvDocs({ read, set: new Set(["LATCHKEY_A", "LATCHKEY_TYPO", "LATCHKEY_SOON"]), readme, pending: new Set(["LATCHKEY_SOON"]) });
  const all = problems.join("\n");
  assert.match(all, /LATCHKEY_B is read by token-service but not in the table/);
  assert.match(all, /the manifests set LATCHKEY_TYPO, which no service reads/);
  assert.match(all, /lists LATCHKEY_GONE, which no service reads/);
  assert.doesNotMatch(all, /LATCHKEY_B_SOMETHING/);
  assert.doesNotMatch(all, /LATCHKEY_SOON/);
  assert.match(notes.join("\n"), /LATCHKEY_SOON is set by the manifests and awaited/);
  assert.match(checkEnvDocs({ read, set: new Set(), readme: "no table", pending: new Set() }).problems.join("\n"), /has no environment variable table/);
});

test("the services' variables are found in this repository, and the table generator lists them", () => {
  const read = variablesRead(root);
  assert.ok(read.has("LATCHKEY_KAFKA_BOOTSTRAP"), "application.properties are scanned");
  assert.ok(read.has("LATCHKEY_SECRET_KEY"), "@ConfigMapping Javadoc in common is scanned");
  assert.match(envTable(read), /\| `LATCHKEY_KAFKA_BOOTSTRAP` \| .*otp-service.* \| `kafka.bootstrap.servers` \| `127.0.0.1:9092` \|/);
});

test("documented Secrets are the kubectl create secret commands of the README", () => {
  const names = documentedSecrets("kubectl -n latchkey create secret generic latchkey-platform --from-literal=x=y\nkubectl create secret tls latchkey-tls --cert=c --key=k");
  assert.deepEqual([...names].sort(), ["latchkey-platform", "latchkey-tls"]);
});

test("the Ingress must route what deploy/local/nginx/nginx.conf routes, no more, no less", () => {
  const nginx = [
    "location = /passwordless/start { proxy_pass http://otp; }",
    "location /passwordless/ { proxy_pass http://token; }",
    "location /console { proxy_pass http://admin; }",
    "location /dev/outbox/ { proxy_pass http://delivery/outbox/; }",
    "location / { return 404; }",
  ].join("\n");
  assert.deepEqual(nginxRoutes(nginx).map((r) => `${r.pathType} ${r.path} ${r.service}`),
    ["Exact /passwordless/start otp-service", "Prefix /passwordless token-service", "Prefix /console admin-service", "Prefix /dev/outbox delivery-sms"]);
  const ingress = (paths) => [{ kind: "Ingress", metadata: { name: "i" }, spec: { rules: [{ http: { paths: paths.map(([pathType, path, name]) => ({ path, pathType, backend: { service: { name } } })) } }] } }];
  const same = [["Exact", "/passwordless/start", "otp-service"], ["Prefix", "/passwordless", "token-service"], ["Prefix", "/console", "admin-service"]];
  assert.deepEqual(checkIngressMatchesNginx(ingress(same), nginx), []);
  const missing = checkIngressMatchesNginx(ingress(same.slice(0, 2)), nginx).join("\n");
  assert.match(missing, /routes location \/console to admin-service; the Ingress has no Prefix \/console -> admin-service/);
  const extra = checkIngressMatchesNginx(ingress([...same, ["Prefix", "/internal", "token-service"]]), nginx).join("\n");
  assert.match(extra, /the Ingress routes Prefix \/internal -> token-service, which deploy\/local\/nginx\/nginx.conf does not/);
  const wrongService = checkIngressMatchesNginx(ingress([["Exact", "/passwordless/start", "token-service"], ...same.slice(1)]), nginx).join("\n");
  assert.match(wrongService, /location \/passwordless\/start to otp-service/);
});
