package dev.weft.cli.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The part of {@code kustomize build} that k8s/ uses (kustomize itself is not available offline):
 * resources (files and directories), patches/patchesStrategicMerge (strategic merge: maps merge,
 * lists of named maps such as containers merge by name, other lists are replaced), namespace,
 * namePrefix and commonLabels (metadata, selectors, pod templates). Any other kustomization key
 * fails the build rather than being silently ignored.
 */
final class Kustomize {

  static final ObjectMapper YAML = new YAMLMapper();
  private static final Set<String> KNOWN =
      Set.of(
          "apiVersion",
          "kind",
          "resources",
          "patches",
          "patchesStrategicMerge",
          "namespace",
          "namePrefix",
          "commonLabels");

  private Kustomize() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> readYaml(Path file) throws IOException {
    return YAML.readValue(file.toFile(), Map.class);
  }

  /** The objects {@code kustomize build dir} would print, as plain maps. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> build(Path dir) throws IOException {
    Path file = dir.resolve("kustomization.yaml");
    Map<String, Object> k = readYaml(file);
    for (String key : k.keySet()) {
      if (!KNOWN.contains(key)) {
        throw new IllegalArgumentException(
            file + ": kustomization field '" + key + "' unsupported");
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (String r : (List<String>) k.getOrDefault("resources", List.of())) {
      Path p = dir.resolve(r).normalize();
      if (Files.isDirectory(p)) {
        out.addAll(build(p));
      } else {
        out.add(readYaml(p));
      }
    }
    List<String> patches = new ArrayList<>();
    for (Object p : (List<Object>) k.getOrDefault("patches", List.of())) {
      patches.add((String) ((Map<String, Object>) p).get("path"));
    }
    patches.addAll((List<String>) k.getOrDefault("patchesStrategicMerge", List.of()));
    for (String p : patches) {
      Map<String, Object> patch = readYaml(dir.resolve(p));
      Map<String, Object> target =
          out.stream()
              .filter(o -> o.get("kind").equals(patch.get("kind")) && name(o).equals(name(patch)))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          p + ": no " + patch.get("kind") + " " + name(patch)));
      mergeMaps(target, patch);
    }
    String prefix = (String) k.get("namePrefix");
    String namespace = (String) k.get("namespace");
    Map<String, String> labels = (Map<String, String>) k.getOrDefault("commonLabels", Map.of());
    for (Map<String, Object> o : out) {
      Map<String, Object> meta = child(o, "metadata");
      if (prefix != null) {
        meta.put("name", prefix + meta.get("name"));
      }
      if (namespace != null) {
        meta.put("namespace", namespace);
      }
      if (!labels.isEmpty()) {
        addLabels(o, labels);
      }
    }
    return out;
  }

  static String name(Map<String, Object> o) {
    return (String) child(o, "metadata").get("name");
  }

  private static void addLabels(Map<String, Object> o, Map<String, String> labels) {
    child(child(o, "metadata"), "labels").putAll(labels);
    Map<String, Object> spec = child(o, "spec");
    switch ((String) o.get("kind")) {
      case "Deployment", "StatefulSet" -> {
        child(child(spec, "selector"), "matchLabels").putAll(labels);
        child(child(child(spec, "template"), "metadata"), "labels").putAll(labels);
      }
      case "Service" -> {
        if (spec.containsKey("selector")) {
          child(spec, "selector").putAll(labels);
        }
      }
      default -> {}
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> m, String key) {
    return (Map<String, Object>) m.computeIfAbsent(key, x -> new LinkedHashMap<String, Object>());
  }

  @SuppressWarnings("unchecked")
  private static void mergeMaps(Map<String, Object> into, Map<String, Object> patch) {
    for (Map.Entry<String, Object> e : patch.entrySet()) {
      Object have = into.get(e.getKey());
      Object add = e.getValue();
      if (have instanceof Map && add instanceof Map) {
        mergeMaps((Map<String, Object>) have, (Map<String, Object>) add);
      } else if (have instanceof List && add instanceof List && isNamedList((List<Object>) add)) {
        mergeByName((List<Object>) have, (List<Object>) add);
      } else {
        into.put(e.getKey(), add);
      }
    }
  }

  private static boolean isNamedList(List<Object> list) {
    return !list.isEmpty()
        && list.stream().allMatch(x -> x instanceof Map<?, ?> m && m.get("name") instanceof String);
  }

  @SuppressWarnings("unchecked")
  private static void mergeByName(List<Object> into, List<Object> patch) {
    for (Object p : patch) {
      Map<String, Object> pm = (Map<String, Object>) p;
      Map<String, Object> same =
          into.stream()
              .map(x -> (Map<String, Object>) x)
              .filter(x -> pm.get("name").equals(x.get("name")))
              .findFirst()
              .orElse(null);
      if (same == null) {
        into.add(pm);
      } else {
        mergeMaps(same, pm);
      }
    }
  }
}
