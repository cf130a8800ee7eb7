package io.changepipe.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Static checks of the Kustomize manifests under kubernetes/, for machines without kustomize.
 * Where kubectl is available, {@code kubectl kustomize kubernetes/base} is the stronger check.
 * Runs from the repository root (Maven's basedir); needs only JUnit and snakeyaml.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();
    private static final Path KUBERNETES = ROOT.resolve("kubernetes");
    private static final Path BASE = KUBERNETES.resolve("base");
    private static final Path PIPELINES = ROOT.resolve("pipelines");
    private static final Path PIPELINES_COPY = BASE.resolve("pipelines");
    private static final String SYNC_HINT = "; run kubernetes/sync-pipelines.sh";
    private static final List<String> KUSTOMIZATION_NAMES =
            List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    /** A parsed YAML document and the file it came from. */
    private record Doc(Path file, Map<String, Object> body) {
        String kind() {
            return Objects.toString(body.get("kind"), "");
        }

        String name() {
            return Objects.toString(map(body.get("metadata")).get("name"), "");
        }
    }

    // ---------------------------------------------------------------- syntax

    @Test
    void everyYamlFileUnderKubernetesParses() throws IOException {
        List<Path> files = yamlFilesUnder(KUBERNETES);
        assertFalse(files.isEmpty(), "no YAML found under " + KUBERNETES);
        List<Executable> checks = new ArrayList<>();
        for (Path file : files) {
            checks.add(() -> {
                try {
                    load(file);
                } catch (RuntimeException e) {
                    fail(rel(file) + " is not valid YAML: " + e.getMessage());
                }
            });
        }
        assertAll(checks);
    }

    // ---------------------------------------------------------------- kustomizations

    @Test
    void kustomizationReferencesExistAndObeyKustomizeLoadRestrictions() throws IOException {
        List<Path> kustomizations = kustomizationFilesUnder(KUBERNETES);
        assertTrue(kustomizations.stream().anyMatch(k -> k.getParent().equals(BASE)),
                "kubernetes/base has no kustomization.yaml");
        List<Executable> checks = new ArrayList<>();
        for (Path kustomization : kustomizations) {
            Path dir = kustomization.getParent();
            Map<String, Object> k = singleDoc(kustomization);

            for (String entry : strings(k.get("resources"))) {
                checks.add(() -> checkResourceEntry(kustomization, entry, "resources"));
            }
            for (String entry : strings(k.get("components"))) {
                checks.add(() -> checkResourceEntry(kustomization, entry, "components"));
            }
            for (Object patch : list(k.get("patches"))) {
                Object path = map(patch).get("path");
                if (path != null) {
                    checks.add(() -> checkFileInsideRoot(kustomization, path.toString(), "patches"));
                }
            }
            for (String path : strings(k.get("patchesStrategicMerge"))) {
                checks.add(() -> checkFileInsideRoot(kustomization, path, "patchesStrategicMerge"));
            }
            for (String generatorKey : List.of("configMapGenerator", "secretGenerator")) {
                for (Object generator : list(k.get(generatorKey))) {
                    Map<String, Object> g = map(generator);
                    for (String file : strings(g.get("files"))) {
                        // "key=path" form: only the path part names a file
                        String path = file.contains("=") ? file.substring(file.indexOf('=') + 1) : file;
                        checks.add(() -> checkFileInsideRoot(kustomization, path, generatorKey + ".files"));
                    }
                    for (String env : strings(g.get("envs"))) {
                        checks.add(() -> checkFileInsideRoot(kustomization, env, generatorKey + ".envs"));
                    }
                }
            }
            checks.add(() -> assertFalse(strings(k.get("resources")).stream()
                            .anyMatch(r -> r.endsWith("secret.example.yaml")),
                    rel(kustomization) + " lists secret.example.yaml; credentials must not be deployed from git"));
            checks.add(() -> {
                for (Doc doc : resourceDocs(dir)) {
                    if (doc.kind().equals("Secret")) {
                        assertTrue(map(doc.body().get("data")).isEmpty() && map(doc.body().get("stringData")).isEmpty(),
                                rel(doc.file()) + " commits Secret values");
                    }
                }
            });
        }
        assertAll(checks);
    }

    /** Files must lie in or below the kustomization root; directories (other kustomizations) may lie elsewhere. */
    private static void checkResourceEntry(Path kustomization, String entry, String field) {
        if (entry.contains("://") || entry.startsWith("github.com/")) {
            fail(rel(kustomization) + " " + field + ": remote reference " + entry + " cannot be checked offline");
        }
        Path target = kustomization.getParent().resolve(entry).normalize();
        assertTrue(Files.exists(target), rel(kustomization) + " " + field + ": " + entry + " does not exist");
        if (Files.isDirectory(target)) {
            assertTrue(findKustomization(target) != null,
                    rel(kustomization) + " " + field + ": directory " + entry + " has no kustomization.yaml");
            assertTrue(target.startsWith(KUBERNETES),
                    rel(kustomization) + " " + field + ": " + entry + " leaves kubernetes/");
        } else {
            checkFileInsideRoot(kustomization, entry, field);
        }
    }

    private static void checkFileInsideRoot(Path kustomization, String entry, String field) {
        Path dir = kustomization.getParent();
        Path target = dir.resolve(entry).normalize();
        assertTrue(Files.isRegularFile(target), rel(kustomization) + " " + field + ": file " + entry + " does not exist");
        assertTrue(target.startsWith(dir),
                rel(kustomization) + " " + field + ": " + entry + " is outside the kustomization directory; "
                        + "kustomize refuses it without --load-restrictor LoadRestrictionsNone");
        try {
            // kustomize resolves symlinks before applying the same restriction
            assertTrue(target.toRealPath().startsWith(dir.toRealPath()),
                    rel(kustomization) + " " + field + ": " + entry + " is a symlink leaving the kustomization directory");
        } catch (IOException e) {
            fail(rel(target) + ": " + e);
        }
    }

    @Test
    void theBaseKeepsTheStateDirectoryOnAPersistentVolumeClaimItDefines() throws IOException {
        Doc deployment = docs(BASE.resolve("deployment.yaml")).get(0);
        Map<String, Object> spec = map(map(map(deployment.body().get("spec")).get("template")).get("spec"));
        @SuppressWarnings("unchecked")
        List<Object> volumes = (List<Object>) spec.get("volumes");
        Map<String, Object> state = volumes.stream().map(KubernetesManifestsTest::map).filter(v -> "state".equals(v.get("name")))
                .findFirst().orElseThrow();
        assertFalse(state.containsKey("emptyDir"), "positions and spools on an emptyDir are lost when the pod moves");
        String claim = Objects.toString(map(state.get("persistentVolumeClaim")).get("claimName"), "");
        List<Doc> resources = new ArrayList<>();
        for (String r : strings(map(docs(BASE.resolve("kustomization.yaml")).get(0).body()).get("resources"))) {
            Path f = BASE.resolve(r);
            if (Files.isRegularFile(f)) {
                resources.addAll(docs(f));
            }
        }
        assertTrue(resources.stream().anyMatch(d -> d.kind().equals("PersistentVolumeClaim") && d.name().equals(claim)),
                "the base defines the claim " + claim);
    }

    @Test
    void overlayPatchesTargetResourcesTheyInclude() throws IOException {
        List<Executable> checks = new ArrayList<>();
        for (Path kustomization : kustomizationFilesUnder(KUBERNETES)) {
            Map<String, Object> k = singleDoc(kustomization);
            List<Doc> resources = resourceDocs(kustomization.getParent());
            List<String> patchFiles = new ArrayList<>(strings(k.get("patchesStrategicMerge")));
            for (Object patch : list(k.get("patches"))) {
                Object path = map(patch).get("path");
                if (path != null && map(patch).get("target") == null) {
                    patchFiles.add(path.toString());
                }
            }
            for (String patchFile : patchFiles) {
                Path file = kustomization.getParent().resolve(patchFile).normalize();
                checks.add(() -> {
                    for (Doc patch : docs(file)) {
                        assertTrue(resources.stream().anyMatch(r -> r.kind().equals(patch.kind()) && r.name().equals(patch.name())),
                                rel(file) + " patches " + patch.kind() + "/" + patch.name() + ", which "
                                        + rel(kustomization) + " does not include");
                    }
                });
            }
        }
        assertAll(checks);
    }

    // ---------------------------------------------------------------- the base's workload

    @Test
    void deploymentIsASingleRecreatedReaderWithWorkingProbesPortsAndVolumes() throws IOException {
        List<Doc> docs = resourceDocs(BASE);
        Map<String, Object> deployment = only(docs, d -> d.kind().equals("Deployment"), "Deployment");
        Map<String, Object> service = only(docs, d -> d.kind().equals("Service"), "Service");
        Map<String, Object> spec = map(deployment.get("spec"));
        Map<String, Object> podSpec = map(map(spec.get("template")).get("spec"));
        Map<String, Object> container = map(list(podSpec.get("containers")).get(0));
        List<Map<String, Object>> ports = maps(container.get("ports"));
        Set<String> declaredVolumes = maps(podSpec.get("volumes")).stream()
                .map(v -> Objects.toString(v.get("name"))).collect(Collectors.toCollection(TreeSet::new));

        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(1, spec.get("replicas"), "a CDC reader must run as exactly one replica"));
        checks.add(() -> assertEquals("Recreate", map(spec.get("strategy")).get("type"),
                "a CDC reader must not overlap with its successor during a rollout"));
        checks.add(() -> assertEquals("/q/health/live", probePath(container, "livenessProbe")));
        checks.add(() -> assertEquals("/q/health/ready", probePath(container, "readinessProbe")));
        checks.add(() -> assertNotNull(container.get("startupProbe"), "startupProbe missing"));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            checks.add(() -> {
                Object port = map(map(container.get(probe)).get("httpGet")).get("port");
                assertTrue(matchesContainerPort(ports, port), probe + " port " + port + " is not a container port");
            });
        }
        for (Map<String, Object> servicePort : maps(map(service.get("spec")).get("ports"))) {
            Object targetPort = servicePort.getOrDefault("targetPort", servicePort.get("port"));
            checks.add(() -> assertTrue(matchesContainerPort(ports, targetPort),
                    "Service targetPort " + targetPort + " matches no container port " + ports));
        }
        for (Map<String, Object> mount : maps(container.get("volumeMounts"))) {
            checks.add(() -> assertTrue(declaredVolumes.contains(Objects.toString(mount.get("name"))),
                    "volumeMount " + mount.get("name") + " names no declared volume " + declaredVolumes));
        }
        checks.add(() -> assertEquals(map(map(service.get("spec")).get("selector")),
                map(map(map(spec.get("template")).get("metadata")).get("labels")),
                "Service selector must equal the pod labels"));
        checks.add(() -> {
            Map<String, Object> securityContext = map(container.get("securityContext"));
            assertEquals(Boolean.TRUE, securityContext.get("readOnlyRootFilesystem"));
            assertEquals(Boolean.FALSE, securityContext.get("allowPrivilegeEscalation"));
            assertEquals(List.of("ALL"), map(securityContext.get("capabilities")).get("drop"));
            assertEquals(Boolean.TRUE, map(podSpec.get("securityContext")).get("runAsNonRoot"));
        });
        checks.add(() -> {
            Map<String, String> mounts = maps(container.get("volumeMounts")).stream().collect(Collectors.toMap(
                    m -> Objects.toString(m.get("mountPath")), m -> Objects.toString(m.get("name"))));
            Map<String, String> env = maps(container.get("env")).stream().collect(Collectors.toMap(
                    e -> Objects.toString(e.get("name")), e -> Objects.toString(e.get("value"))));
            assertTrue(mounts.containsKey(env.get("CHANGEPIPE_PIPELINES_DIR")),
                    "CHANGEPIPE_PIPELINES_DIR does not point at a mounted volume");
            assertTrue(mounts.containsKey(env.get("CHANGEPIPE_STATE_DIR")),
                    "CHANGEPIPE_STATE_DIR does not point at a mounted volume");
            assertTrue(mounts.containsKey("/tmp"), "readOnlyRootFilesystem needs a writable /tmp");
        });
        checks.add(() -> {
            Set<String> configMaps = new TreeSet<>();
            docs.stream().filter(d -> d.kind().equals("ConfigMap")).forEach(d -> configMaps.add(d.name()));
            configMaps.addAll(generatedConfigMapNames(BASE));
            for (Map<String, Object> volume : maps(podSpec.get("volumes"))) {
                Object configMap = map(volume.get("configMap")).get("name");
                if (configMap != null) {
                    assertTrue(configMaps.contains(configMap.toString()),
                            "volume " + volume.get("name") + " uses ConfigMap " + configMap + " which the base does not define");
                }
            }
        });
        checks.add(() -> {
            Path example = BASE.resolve("secret.example.yaml");
            String secretName = Objects.toString(map(maps(container.get("envFrom")).get(0).get("secretRef")).get("name"));
            assertEquals(new Doc(example, singleDoc(example)).name(), secretName,
                    "envFrom secretRef and secret.example.yaml name different Secrets");
        });
        assertAll(checks);
    }

    private static String probePath(Map<String, Object> container, String probe) {
        return Objects.toString(map(map(container.get(probe)).get("httpGet")).get("path"), null);
    }

    private static boolean matchesContainerPort(List<Map<String, Object>> ports, Object port) {
        return ports.stream().anyMatch(p -> port instanceof Integer
                ? port.equals(p.get("containerPort"))
                : Objects.equals(Objects.toString(port), p.get("name")));
    }

    // ---------------------------------------------------------------- pipelines copy

    @Test
    void pipelineCopyForTheConfigMapMatchesPipelinesDirectory() throws IOException {
        Set<String> originals = pipelineFileNames(PIPELINES);
        Set<String> copies = pipelineFileNames(PIPELINES_COPY);
        copies.removeAll(KUSTOMIZATION_NAMES);
        Path generated = findKustomization(PIPELINES_COPY);
        assertNotNull(generated, "kubernetes/base/pipelines/kustomization.yaml missing" + SYNC_HINT);
        Set<String> listed = new TreeSet<>();
        for (Object generator : list(singleDoc(generated).get("configMapGenerator"))) {
            if ("changepipe-pipelines".equals(map(generator).get("name"))) {
                listed.addAll(strings(map(generator).get("files")));
            }
        }

        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(originals, copies,
                "pipelines/ and kubernetes/base/pipelines/ hold different files" + SYNC_HINT));
        checks.add(() -> assertEquals(originals, listed,
                "the changepipe-pipelines configMapGenerator lists different files than pipelines/" + SYNC_HINT));
        for (String name : originals) {
            checks.add(() -> {
                Path copy = PIPELINES_COPY.resolve(name);
                assertTrue(Files.isRegularFile(copy), "kubernetes/base/pipelines/" + name + " missing" + SYNC_HINT);
                assertArrayEquals(Files.readAllBytes(PIPELINES.resolve(name)), Files.readAllBytes(copy),
                        "kubernetes/base/pipelines/" + name + " differs from pipelines/" + name + SYNC_HINT);
            });
        }
        assertAll(checks);
    }

    // ---------------------------------------------------------------- helpers

    /** Documents of every resource a kustomization includes, recursively; patches are not applied. */
    private static List<Doc> resourceDocs(Path kustomizationDir) throws IOException {
        Path kustomization = findKustomization(kustomizationDir);
        if (kustomization == null) {
            return List.of();
        }
        List<Doc> result = new ArrayList<>();
        for (String entry : strings(singleDoc(kustomization).get("resources"))) {
            Path target = kustomizationDir.resolve(entry).normalize();
            if (Files.isDirectory(target)) {
                result.addAll(resourceDocs(target));
            } else if (Files.isRegularFile(target)) {
                result.addAll(docs(target));
            }
        }
        return result;
    }

    private static Set<String> generatedConfigMapNames(Path kustomizationDir) throws IOException {
        Set<String> names = new TreeSet<>();
        Path kustomization = findKustomization(kustomizationDir);
        if (kustomization == null) {
            return names;
        }
        Map<String, Object> k = singleDoc(kustomization);
        for (Object generator : list(k.get("configMapGenerator"))) {
            names.add(Objects.toString(map(generator).get("name")));
        }
        for (String entry : strings(k.get("resources"))) {
            Path target = kustomizationDir.resolve(entry).normalize();
            if (Files.isDirectory(target)) {
                names.addAll(generatedConfigMapNames(target));
            }
        }
        return names;
    }

    private static Path findKustomization(Path dir) {
        return KUSTOMIZATION_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst().orElse(null);
    }

    private static List<Path> kustomizationFilesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> KUSTOMIZATION_NAMES.contains(p.getFileName().toString()))
                    .filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static List<Path> yamlFilesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> isYamlName(p.getFileName().toString()) || p.getFileName().toString().equals("Kustomization"))
                    .sorted().toList();
        }
    }

    /** Names of *.yaml and *.yml files directly in dir; an absent directory has none. */
    private static Set<String> pipelineFileNames(Path dir) throws IOException {
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(KubernetesManifestsTest::isYamlName).forEach(names::add);
        }
        return names;
    }

    private static boolean isYamlName(String name) {
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static List<Object> load(Path file) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Object> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (Object document : yaml.loadAll(reader)) {
                documents.add(document);
            }
        }
        return documents;
    }

    private static List<Doc> docs(Path file) throws IOException {
        List<Doc> result = new ArrayList<>();
        for (Object document : load(file)) {
            if (document != null) {
                result.add(new Doc(file, map(document)));
            }
        }
        return result;
    }

    private static Map<String, Object> singleDoc(Path file) throws IOException {
        List<Doc> documents = docs(file);
        assertEquals(1, documents.size(), rel(file) + " should hold exactly one YAML document");
        return documents.get(0).body();
    }

    private static Map<String, Object> only(List<Doc> docs, Predicate<Doc> filter, String what) {
        List<Doc> found = docs.stream().filter(filter).toList();
        assertEquals(1, found.size(), "expected exactly one " + what + " in kubernetes/base, found " + found.size());
        return found.get(0).body();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        assertTrue(value instanceof Map, "expected a mapping, got: " + value);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        assertTrue(value instanceof List, "expected a sequence, got: " + value);
        return (List<Object>) value;
    }

    private static List<Map<String, Object>> maps(Object value) {
        return list(value).stream().map(KubernetesManifestsTest::map).toList();
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }

    private static String rel(Path path) {
        return ROOT.relativize(path.toAbsolutePath().normalize()).toString();
    }
}
