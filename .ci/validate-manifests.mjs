// Validates every Kubernetes and KEDA manifest of Kelvin: each kustomization under k8s/ and keda/
// is rendered, and each resulting object is checked against its API schema (kubernetes-models,
// @kubernetes-models/keda, @kubernetes-models/prometheus-operator); YAML files no kustomization
// uses are checked on their own. Exits 1 on any error. Run from anywhere:
//   node .ci/validate-manifests.mjs                           validate everything
//   node .ci/validate-manifests.mjs --print k8s/overlays/gpu  also print that rendering as YAML
//
// kustomize itself is not available here (not on npm; its releases are on GitHub), so this file
// renders kustomizations itself. It implements the subset Kelvin uses and fails on anything else
// rather than guessing: resources (files and directories), namespace, commonLabels,
// commonAnnotations, labels, images, configMapGenerator/secretGenerator (files, literals, envs,
// behavior, options, generatorOptions, a content-hash name suffix with references rewritten),
// patches (strategic merge with list merging by `name`, or JSON 6902) and patchesStrategicMerge.
//
// The schemas check types, required fields, enums and formats, but they accept unknown fields;
// so every field name (camelCase key outside free-form maps such as labels, data, resources)
// must also be a field name somewhere in the schemas: a typo fails, a real field in the wrong
// place does not. On top: references inside a rendering (ConfigMaps, ServiceAccounts, Services,
// named ports, selectors, the ScaledObject's target) must resolve.

import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join, relative, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, stringify } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const errors = [];
const fail = (where, message) => errors.push(`${where}: ${message}`);
const rel = (p) => relative(root, p);

// ---------------------------------------------------------------- files
function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === "node_modules" || name.startsWith(".")) return [];
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function readYaml(file) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  const out = [];
  for (const doc of docs) {
    if (doc.errors.length) {
      doc.errors.forEach((e) => fail(rel(file), `YAML: ${e.message}`));
      continue;
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

// ---------------------------------------------------------------- kustomize subset
const KUSTOMIZATION_FIELDS = new Set([
  "apiVersion", "kind", "namespace", "resources", "commonLabels", "commonAnnotations", "labels", "images",
  "configMapGenerator", "secretGenerator", "generatorOptions", "patches", "patchesStrategicMerge",
]);
const CLUSTER_SCOPED = new Set([
  "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
  "StorageClass", "PriorityClass", "ClusterTriggerAuthentication", "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
]);

function kustomizationFile(dir) {
  for (const name of ["kustomization.yaml", "kustomization.yml", "Kustomization"]) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

const usedFiles = new Set();

/** Renders the kustomization in `dir`: returns its objects, or [] after recording errors. */
function render(dir) {
  const file = kustomizationFile(dir);
  if (!file) {
    fail(rel(dir), "no kustomization.yaml");
    return [];
  }
  usedFiles.add(file);
  const [k] = readYaml(file);
  if (!k) return [];
  for (const field of Object.keys(k)) {
    if (!KUSTOMIZATION_FIELDS.has(field)) fail(rel(file), `kustomize field '${field}' is not implemented by this validator; extend .ci/validate-manifests.mjs`);
  }
  let objects = [];
  for (const entry of k.resources ?? []) {
    const p = resolve(dir, entry);
    if (!existsSync(p)) {
      fail(rel(file), `resource ${entry} does not exist`);
    } else if (statSync(p).isDirectory()) {
      objects.push(...render(p));
    } else {
      usedFiles.add(p);
      objects.push(...readYaml(p).map((o) => ({ ...o, __source: rel(p) })));
    }
  }
  const renames = new Map();
  const generated = [];
  for (const [kind, gens] of [["ConfigMap", k.configMapGenerator ?? []], ["Secret", k.secretGenerator ?? []]]) {
    for (const gen of gens) {
      const obj = generate(kind, gen, dir, file, k.generatorOptions ?? {});
      const behavior = gen.behavior ?? "create";
      const existing = objects.find((o) => o.kind === kind && o.metadata?.name === obj.metadata.name);
      if (behavior === "create") {
        if (existing) fail(rel(file), `${kind} ${gen.name} generated twice`);
        generated.push(obj);
      } else if (!existing) {
        fail(rel(file), `${kind} ${gen.name} has behavior ${behavior} but no base to ${behavior}`);
      } else {
        existing.data = behavior === "merge" ? { ...existing.data, ...obj.data } : obj.data;
        existing.__hash = obj.__hash;
      }
    }
  }
  objects.push(...generated);
  for (const patch of k.patchesStrategicMerge ?? []) applyPatch(objects, { path: patch }, dir, file);
  for (const patch of k.patches ?? []) applyPatch(objects, patch, dir, file);
  if (k.namespace) {
    for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata = { ...o.metadata, namespace: k.namespace };
  }
  addLabels(objects, k.commonLabels, true, true);
  for (const l of k.labels ?? []) addLabels(objects, l.pairs, l.includeSelectors === true, l.includeTemplates === true || l.includeSelectors === true);
  if (k.commonAnnotations) for (const o of objects) o.metadata.annotations = { ...o.metadata.annotations, ...k.commonAnnotations };
  for (const image of k.images ?? []) setImage(objects, image);
  // Name suffixes last, as kustomize does once the generated content is final.
  for (const o of objects) {
    if (o.__hash !== undefined && o.__suffix) {
      const hashed = `${o.metadata.name}-${createHash("sha256").update(JSON.stringify(o.data ?? {})).digest("hex").slice(0, 10)}`;
      renames.set(`${o.kind}/${o.metadata.name}`, hashed);
      o.metadata.name = hashed;
      o.__suffix = false;
    }
  }
  for (const o of objects) rewriteReferences(o, renames);
  return objects;
}

function generate(kind, gen, dir, file, globalOptions) {
  const data = {};
  for (const literal of gen.literals ?? []) {
    const i = literal.indexOf("=");
    if (i < 1) fail(rel(file), `${gen.name}: literal '${literal}' is not KEY=VALUE`);
    else data[literal.slice(0, i)] = literal.slice(i + 1);
  }
  for (const entry of gen.files ?? []) {
    const [key, path] = entry.includes("=") ? entry.split("=", 2) : [basename(entry), entry];
    const p = resolve(dir, path);
    if (!p.startsWith(dir + "/")) fail(rel(file), `${gen.name}: ${path} is outside the kustomization directory (kustomize's load restrictor refuses it)`);
    if (!existsSync(p)) fail(rel(file), `${gen.name}: file ${path} does not exist`);
    else data[key] = readFileSync(p, "utf8");
  }
  for (const envFile of gen.envs ?? []) {
    const p = resolve(dir, envFile);
    if (!existsSync(p)) fail(rel(file), `${gen.name}: env file ${envFile} does not exist`);
    else for (const line of readFileSync(p, "utf8").split("\n")) {
      const t = line.trim();
      if (t && !t.startsWith("#")) data[t.slice(0, t.indexOf("="))] = t.slice(t.indexOf("=") + 1);
    }
  }
  const options = { ...globalOptions, ...(gen.options ?? {}) };
  const obj = {
    apiVersion: "v1",
    kind,
    metadata: { name: gen.name, labels: options.labels, annotations: options.annotations },
    data: kind === "Secret" ? Object.fromEntries(Object.entries(data).map(([key, v]) => [key, Buffer.from(v).toString("base64")])) : data,
    __source: rel(file),
    __hash: true,
    __suffix: options.disableNameSuffixHash !== true,
  };
  if (!obj.metadata.labels) delete obj.metadata.labels;
  if (!obj.metadata.annotations) delete obj.metadata.annotations;
  return obj;
}

function applyPatch(objects, patch, dir, file) {
  let body = patch.patch;
  if (patch.path) {
    const p = resolve(dir, patch.path);
    if (!existsSync(p)) return fail(rel(file), `patch ${patch.path} does not exist`);
    usedFiles.add(p);
    body = readFileSync(p, "utf8");
  }
  const docs = parseAllDocuments(body).map((d) => d.toJS());
  for (const doc of docs) {
    const target = patch.target ?? { kind: doc?.kind, name: doc?.metadata?.name };
    const matches = objects.filter((o) => (!target.kind || o.kind === target.kind) && (!target.name || o.metadata?.name === target.name));
    if (matches.length === 0) {
      fail(rel(file), `patch ${patch.path ?? "(inline)"} matches no object (${target.kind}/${target.name})`);
      continue;
    }
    for (const o of matches) {
      if (Array.isArray(doc)) applyJson6902(o, doc, file);
      else Object.assign(o, strategicMerge(o, doc));
    }
  }
}

/** Strategic merge, the part Kelvin's patches need: maps merge, lists of named maps merge by name, other lists replace, null deletes. */
function strategicMerge(base, patch) {
  if (Array.isArray(patch)) {
    if (!Array.isArray(base) || !patch.every((e) => e && typeof e === "object" && "name" in e)) return patch;
    const out = base.map((e) => ({ ...e }));
    for (const item of patch) {
      const i = out.findIndex((e) => e?.name === item.name);
      if (i >= 0) out[i] = strategicMerge(out[i], item);
      else out.push(item);
    }
    return out;
  }
  if (patch && typeof patch === "object") {
    const out = { ...(base && typeof base === "object" && !Array.isArray(base) ? base : {}) };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = strategicMerge(out[key], value);
    }
    return out;
  }
  return patch;
}

function applyJson6902(obj, ops, file) {
  for (const op of ops) {
    const parts = op.path.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = parts.pop();
    let node = obj;
    for (const p of parts) node = node?.[Array.isArray(node) ? Number(p) : p];
    if (node === undefined) return fail(rel(file), `JSON patch path ${op.path} not found`);
    if (op.op === "add" && Array.isArray(node)) node.splice(last === "-" ? node.length : Number(last), 0, op.value);
    else if (op.op === "add" || op.op === "replace") node[last] = op.value;
    else if (op.op === "remove") Array.isArray(node) ? node.splice(Number(last), 1) : delete node[last];
    else fail(rel(file), `JSON patch op ${op.op} is not implemented by this validator`);
  }
}

function podSpecs(o) {
  const template = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
  return template ? [template] : [];
}

function addLabels(objects, labels, selectors, templates) {
  if (!labels) return;
  for (const o of objects) {
    o.metadata.labels = { ...o.metadata.labels, ...labels };
    if (templates && o.spec?.template) o.spec.template.metadata = { ...o.spec.template.metadata, labels: { ...o.spec.template.metadata?.labels, ...labels } };
    if (selectors) {
      if (o.kind === "Service" && o.spec) o.spec.selector = { ...o.spec.selector, ...labels };
      else if (o.spec?.selector && ["StatefulSet", "Deployment", "DaemonSet", "ReplicaSet", "PodDisruptionBudget"].includes(o.kind)) {
        o.spec.selector.matchLabels = { ...o.spec.selector.matchLabels, ...labels };
      }
    }
  }
}

function setImage(objects, image) {
  for (const o of objects) {
    for (const spec of podSpecs(o)) {
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        const name = c.image?.replace(/@.*$/, "").replace(/:[^/:]*$/, "");
        if (name !== image.name) continue;
        const tag = image.digest ? `@${image.digest}` : image.newTag ? `:${image.newTag}` : c.image.slice(name.length);
        c.image = `${image.newName ?? name}${tag}`;
      }
    }
  }
}

function rewriteReferences(o, renames) {
  if (renames.size === 0) return;
  const rename = (kind, ref, field) => {
    if (ref && renames.has(`${kind}/${ref[field]}`)) ref[field] = renames.get(`${kind}/${ref[field]}`);
  };
  for (const spec of podSpecs(o)) {
    for (const v of spec.volumes ?? []) {
      rename("ConfigMap", v.configMap, "name");
      rename("Secret", v.secret, "secretName");
      for (const s of v.projected?.sources ?? []) {
        rename("ConfigMap", s.configMap, "name");
        rename("Secret", s.secret, "name");
      }
    }
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const e of c.envFrom ?? []) {
        rename("ConfigMap", e.configMapRef, "name");
        rename("Secret", e.secretRef, "name");
      }
      for (const e of c.env ?? []) {
        rename("ConfigMap", e.valueFrom?.configMapKeyRef, "name");
        rename("Secret", e.valueFrom?.secretKeyRef, "name");
      }
    }
  }
}

// ---------------------------------------------------------------- schemas
const MODEL_PACKAGES = [
  { groups: (g) => g === "keda.sh" || g === "eventing.keda.sh", pkg: "@kubernetes-models/keda" },
  { groups: (g) => g === "monitoring.coreos.com", pkg: "@kubernetes-models/prometheus-operator" },
  { groups: () => true, pkg: "kubernetes-models" },
];

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const { pkg } = MODEL_PACKAGES.find((m) => m.groups(group));
  const path = group ? `${pkg}/${group}/${version}` : `${pkg}/${version}`;
  try {
    const module = await import(path);
    return module[kind] ?? null;
  } catch {
    return null;
  }
}

/** Every field name the schemas know: property accesses in the compiled validators. */
function schemaVocabulary() {
  const words = new Set();
  const dirs = ["kubernetes-models", "@kubernetes-models/apimachinery", "@kubernetes-models/keda", "@kubernetes-models/prometheus-operator"]
    .map((p) => join(root, ".ci", "node_modules", p, "_schemas"));
  for (const dir of dirs) {
    for (const file of existsSync(dir) ? readdirSync(dir) : []) {
      if (!file.endsWith(".js")) continue;
      const text = readFileSync(join(dir, file), "utf8");
      for (const m of text.matchAll(/data\.([A-Za-z_$][\w$]*)/g)) words.add(m[1]);
      for (const m of text.matchAll(/data\["([^"]+)"\]/g)) words.add(m[1]);
    }
  }
  return words;
}

// Maps whose keys are data, not field names.
const FREE_FORM = new Set(["labels", "annotations", "matchLabels", "nodeSelector", "data", "binaryData", "stringData",
  "limits", "requests", "capacity", "parameters", "hard", "externalLabels"]);

function checkFieldNames(value, path, vocabulary, where) {
  if (Array.isArray(value)) return value.forEach((v, i) => checkFieldNames(v, `${path}/${i}`, vocabulary, where));
  if (!value || typeof value !== "object") return;
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith("__")) continue;
    if (/^[a-z][A-Za-z0-9]*$/.test(key) && !vocabulary.has(key)) fail(where, `${path}/${key}: no such field in any schema (typo?)`);
    const freeForm = FREE_FORM.has(key)
      || (key === "metadata" && /\/triggers\/\d+$/.test(path))
      || (key === "selector" && v && typeof v === "object" && !("matchLabels" in v) && !("matchExpressions" in v));
    if (!freeForm) checkFieldNames(v, `${path}/${key}`, vocabulary, where);
  }
}

async function validateObject(obj, where, vocabulary) {
  const label = `${where} ${obj.kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
  if (!obj.apiVersion || !obj.kind) return fail(label, "apiVersion and kind are required");
  const Model = await modelFor(obj.apiVersion, obj.kind);
  if (!Model) return fail(label, `no schema for ${obj.apiVersion} ${obj.kind}`);
  const clean = JSON.parse(JSON.stringify(obj, (key, value) => (key.startsWith("__") ? undefined : value)));
  try {
    new Model(clean).validate();
  } catch (e) {
    fail(label, e.message);
  }
  checkFieldNames(clean, "", vocabulary, label);
}

// ---------------------------------------------------------------- references within one rendering
function checkReferences(objects, where) {
  const named = (kind, name) => objects.some((o) => o.kind === kind && o.metadata?.name === name);
  const seen = new Set();
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name}`;
    if (seen.has(id)) fail(where, `${id} defined twice`);
    seen.add(id);
  }
  const pods = objects.filter((o) => podSpecs(o).length).map((o) => ({ owner: o, spec: podSpecs(o)[0], labels: o.spec.template.metadata?.labels ?? {} }));
  const selects = (selector) => pods.filter((p) => Object.entries(selector ?? {}).every(([k, v]) => p.labels[k] === v));
  for (const { owner, spec, labels } of pods) {
    const label = `${where} ${owner.kind}/${owner.metadata.name}`;
    if (spec.serviceAccountName && !named("ServiceAccount", spec.serviceAccountName)) fail(label, `ServiceAccount ${spec.serviceAccountName} is not in the rendering`);
    for (const v of spec.volumes ?? []) if (v.configMap && !named("ConfigMap", v.configMap.name)) fail(label, `ConfigMap ${v.configMap.name} is not in the rendering`);
    const ports = new Set();
    for (const c of spec.containers ?? []) {
      for (const p of c.ports ?? []) ports.add(p.name);
      for (const e of c.envFrom ?? []) if (e.configMapRef && !named("ConfigMap", e.configMapRef.name)) fail(label, `ConfigMap ${e.configMapRef.name} is not in the rendering`);
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.configMapKeyRef;
        if (ref && !named("ConfigMap", ref.name)) fail(label, `ConfigMap ${ref.name} is not in the rendering`);
      }
      const mounts = new Set((spec.volumes ?? []).map((v) => v.name).concat((owner.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name)));
      for (const m of c.volumeMounts ?? []) if (!mounts.has(m.name)) fail(label, `volumeMount ${m.name} has no volume`);
      for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
        const port = probe?.httpGet?.port;
        if (typeof port === "string" && !(c.ports ?? []).some((p) => p.name === port)) fail(label, `probe port ${port} is not a container port`);
      }
      if (/:latest$/.test(c.image ?? "") || !/[:@]/.test(c.image ?? "")) fail(label, `image ${c.image} is not pinned to a tag or digest`);
    }
    if (owner.kind === "StatefulSet") {
      const service = objects.find((o) => o.kind === "Service" && o.metadata.name === owner.spec.serviceName);
      if (!service) fail(label, `serviceName ${owner.spec.serviceName} is not a Service in the rendering`);
      else if (service.spec.clusterIP !== "None") fail(label, `Service ${service.metadata.name} must be headless`);
      const selector = owner.spec.selector?.matchLabels ?? {};
      if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) fail(label, "selector does not match the pod template's labels");
    }
    void ports;
  }
  for (const o of objects) {
    const label = `${where} ${o.kind}/${o.metadata?.name}`;
    if (o.kind === "Service" && o.spec?.selector) {
      const targets = selects(o.spec.selector);
      if (targets.length === 0) fail(label, "selects no pod template");
      for (const port of o.spec.ports ?? []) {
        if (typeof port.targetPort === "string" && !targets.every((t) => (t.spec.containers ?? []).some((c) => (c.ports ?? []).some((p) => p.name === port.targetPort)))) {
          fail(label, `targetPort ${port.targetPort} is not a port of every selected pod`);
        }
      }
    }
    if (o.kind === "PodDisruptionBudget" && selects(o.spec?.selector?.matchLabels).length === 0) fail(label, "selects no pod template");
    if (o.kind === "ServiceMonitor") {
      const services = objects.filter((s) => s.kind === "Service" && Object.entries(o.spec.selector?.matchLabels ?? {}).every(([k, v]) => s.metadata.labels?.[k] === v));
      if (services.length === 0) fail(label, "selects no Service");
      for (const ep of o.spec.endpoints ?? []) {
        if (ep.port && !services.every((s) => (s.spec.ports ?? []).some((p) => p.name === ep.port))) fail(label, `port ${ep.port} is not a port of every selected Service`);
      }
    }
    if (o.kind === "NetworkPolicy") {
      for (const rule of o.spec?.ingress ?? []) {
        for (const port of rule.ports ?? []) {
          if (typeof port.port === "string" && selects(o.spec.podSelector?.matchLabels).some((t) => !(t.spec.containers ?? []).some((c) => (c.ports ?? []).some((p) => p.name === port.port)))) {
            fail(label, `ingress port ${port.port} is not a port of every selected pod`);
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------- main
const vocabulary = schemaVocabulary();
if (vocabulary.size < 500) fail(".ci/node_modules", `only ${vocabulary.size} field names read from the schemas; run npm ci in .ci`);

const yamlFiles = ["k8s", "keda"].flatMap((d) => walk(join(root, d))).filter((f) => /\.ya?ml$/.test(f) || basename(f) === "Kustomization");
const kustomizationDirs = [...new Set(yamlFiles.filter((f) => /^(kustomization\.ya?ml|Kustomization)$/.test(basename(f))).map(dirname))].sort();
const renderings = new Map();
let objectCount = 0;
for (const dir of kustomizationDirs) {
  const objects = render(dir);
  renderings.set(rel(dir), objects);
  for (const o of objects) await validateObject(o, rel(dir), vocabulary);
  checkReferences(objects, rel(dir));
  objectCount += objects.length;
  console.log(`${rel(dir)}: ${objects.length} objects`);
}
// Files no kustomization uses: validated on their own.
for (const file of yamlFiles.filter((f) => !usedFiles.has(f))) {
  for (const o of readYaml(file)) await validateObject(o, rel(file), vocabulary);
  console.log(`${rel(file)}: not in any kustomization, validated alone`);
}
// The ScaledObject scales the optimizer of the k8s/ overlays, with a TriggerAuthentication it brings along.
for (const [where, objects] of renderings) {
  for (const so of objects.filter((o) => o.kind === "ScaledObject")) {
    const target = so.spec.scaleTargetRef;
    for (const overlay of ["k8s/overlays/cpu", "k8s/overlays/gpu"]) {
      const workload = renderings.get(overlay)?.find((o) => o.kind === (target.kind ?? "Deployment") && o.metadata.name === target.name);
      if (!workload) fail(where, `ScaledObject ${so.metadata.name} targets ${target.kind}/${target.name}, not in ${overlay}`);
      else if (workload.metadata.namespace !== so.metadata.namespace) fail(where, `ScaledObject ${so.metadata.name} is in namespace ${so.metadata.namespace}, its target in ${workload.metadata.namespace}`);
    }
    for (const trigger of so.spec.triggers ?? []) {
      const ref = trigger.authenticationRef?.name;
      if (ref && !objects.some((o) => o.kind === "TriggerAuthentication" && o.metadata.name === ref)) fail(where, `TriggerAuthentication ${ref} is not in the rendering`);
    }
  }
}
if (!renderings.has("k8s/overlays/cpu") || !renderings.has("k8s/overlays/gpu") || !renderings.has("keda")) {
  fail("k8s, keda", "expected kustomizations k8s/overlays/cpu, k8s/overlays/gpu and keda");
}

const printIndex = process.argv.indexOf("--print");
if (printIndex > 0) {
  const objects = renderings.get(process.argv[printIndex + 1]) ?? [];
  const clean = objects.map((o) => JSON.parse(JSON.stringify(o, (key, value) => (key.startsWith("__") ? undefined : value))));
  console.log(clean.map((o) => stringify(o)).join("---\n"));
}

if (errors.length) {
  console.error(`\n${errors.length} manifest error(s):`);
  errors.forEach((e) => console.error(`  ${e}`));
  process.exit(1);
}
console.log(`OK: ${kustomizationDirs.length} kustomizations, ${objectCount} objects, ${yamlFiles.length} YAML files valid.`);
