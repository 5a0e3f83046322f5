package dev.weft.cli.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.WeftCommand;
import dev.weft.server.ServerMetrics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * k8s/: every manifest and the Kustomize output of base and overlay parse as typed fabric8 objects,
 * and their ports, flags and names agree with what the weft commands and the server actually
 * expose.
 */
class K8sManifestsTest {

  private static final Path K8S = Path.of("").toAbsolutePath().getParent().resolve("k8s");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void everyManifestParsesAsATypedKubernetesObject() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(K8S)) {
      files =
          s.filter(p -> p.toString().endsWith(".yaml"))
              .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
              .filter(p -> !p.getParent().getFileName().toString().equals("monitoring"))
              .toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(8);
    for (Path f : files) {
      Object o = SERIALIZATION.unmarshal(Files.readString(f));
      assertThat(o).as(f.toString()).isInstanceOf(HasMetadata.class);
      assertThat(o.getClass().getSimpleName())
          .as(f.toString())
          .isEqualTo(Kustomize.readYaml(f).get("kind"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/example"})
  void serverProbesPortsAndResourcesMatchTheServeFlags(String dir) throws IOException {
    Built built = Built.of(K8S.resolve(dir));
    Deployment server = built.get(Deployment.class, "weft-server");
    PodSpec pod = server.getSpec().getTemplate().getSpec();
    Container c = container(pod, "server");
    ParseResult serve = parse(c.getArgs(), "serve");

    int healthPort = serve.commandSpec().findOption("--health-port").getValue();
    assertThat(healthPort).isPositive();
    for (Probe p : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
      assertThat(p.getGrpc().getPort()).isEqualTo(healthPort);
    }
    assertThat(portNumbers(c)).contains(healthPort);

    int metricsPort = serve.commandSpec().findOption("--metrics-port").getValue();
    Map<String, String> annotations = server.getSpec().getTemplate().getMetadata().getAnnotations();
    assertThat(annotations).containsEntry("prometheus.io/scrape", "true");
    assertThat(annotations.get("prometheus.io/port")).isEqualTo(Integer.toString(metricsPort));
    assertThat(port(c, "metrics")).isEqualTo(metricsPort);
    assertThat(port(c, "grpc"))
        .isEqualTo(serve.commandSpec().findOption("--port").<Integer>getValue());

    int drain = serve.commandSpec().findOption("--drain-timeout").getValue();
    assertThat(pod.getTerminationGracePeriodSeconds()).isBetween(drain + 1L, drain + 15L);

    long kv = serve.commandSpec().findOption("--kv-cache-memory").getValue();
    long heap = heapBytes(built.get(ConfigMap.class, "weft-config"));
    long request = bytes(c.getResources().getRequests().get("memory"));
    assertThat(request).isGreaterThan(kv + heap);
    assertThat(bytes(c.getResources().getLimits().get("memory"))).isGreaterThanOrEqualTo(request);

    Service svc = built.get(Service.class, "weft-server");
    assertThat(server.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(svc.getSpec().getSelector());
    assertThat(server.getSpec().getSelector().getMatchLabels())
        .isEqualTo(svc.getSpec().getSelector());
    for (var sp : svc.getSpec().getPorts()) {
      assertThat(port(c, sp.getTargetPort().getStrVal())).isEqualTo(sp.getPort());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/example"})
  void trainerPeersAreTheStatefulSetsStableNames(String dir) throws IOException {
    Built built = Built.of(K8S.resolve(dir));
    StatefulSet sts = built.get(StatefulSet.class, "weft-trainer");
    Service headless = built.get(Service.class, sts.getSpec().getServiceName());
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    int peerPort = headless.getSpec().getPorts().get(0).getPort();

    PodTemplateSpec template = sts.getSpec().getTemplate();
    Container worker = container(template.getSpec(), "worker");
    ParseResult w = parse(worker.getArgs(), "worker");
    assertThat(w.matchedOptionValue("--rank", (Integer) null))
        .as("rank comes from the pod ordinal in the host name")
        .isNull();
    String pattern = w.matchedOptionValue("--peer-pattern", "");
    String dns = sts.getMetadata().getName() + "-{rank}." + headless.getMetadata().getName();
    assertThat(pattern).isEqualTo(dns + ":" + peerPort);
    int workers = w.matchedOptionValue("--workers", -1);
    assertThat(sts.getSpec().getReplicas()).isEqualTo(workers);
    assertThat(portNumbers(worker)).contains(peerPort);
    assertThat(template.getMetadata().getLabels())
        .containsAllEntriesOf(headless.getSpec().getSelector());
    int metricsPort = w.matchedOptionValue("--metrics-port", 0);
    assertThat(template.getMetadata().getAnnotations().get("prometheus.io/port"))
        .isEqualTo(Integer.toString(metricsPort));

    // Dynamic Ripples' group generator: rank --workers, reachable at the name the pattern gives it.
    Deployment gen = built.get(Deployment.class, "weft-trainer-generator");
    PodSpec genPod = gen.getSpec().getTemplate().getSpec();
    ParseResult g = parse(container(genPod, "generator").getArgs(), "worker");
    assertThat(w.matchedOptionValue("--algo", "")).isEqualTo("ripples");
    assertThat(g.matchedOptionValue("--ripples-mode", "")).isEqualTo("dynamic");
    int genRank = g.matchedOptionValue("--rank", -1);
    assertThat(genRank).isEqualTo(workers);
    assertThat(genPod.getHostname() + "." + genPod.getSubdomain())
        .isEqualTo(dns.replace("{rank}", Integer.toString(genRank)));
    assertThat(gen.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(headless.getSpec().getSelector());
    for (String flag : List.of("--peer-pattern", "--run-id", "--algo", "--workers", "--seed")) {
      assertThat(g.matchedOption(flag).stringValues())
          .as(flag)
          .isEqualTo(w.matchedOption(flag).stringValues());
    }
    // The worker and generator pods must not be selected by each other's controller.
    assertThat(gen.getSpec().getSelector().getMatchLabels())
        .isNotEqualTo(sts.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void overlayPutsEverythingInItsNamespaceAndRaisesTheKvBudget() throws IOException {
    Built overlay = Built.of(K8S.resolve("overlays/example"));
    assertThat(overlay.objects)
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("weft-prod"));
    assertThat(overlay.objects)
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/part-of", "weft"));
    Container base =
        container(
            Built.of(K8S.resolve("base"))
                .get(Deployment.class, "weft-server")
                .getSpec()
                .getTemplate()
                .getSpec(),
            "server");
    Container patched =
        container(
            overlay.get(Deployment.class, "weft-server").getSpec().getTemplate().getSpec(),
            "server");
    long baseKv =
        parse(base.getArgs(), "serve").commandSpec().findOption("--kv-cache-memory").getValue();
    long kv =
        parse(patched.getArgs(), "serve").commandSpec().findOption("--kv-cache-memory").getValue();
    assertThat(kv).isGreaterThan(baseKv);
    // The patch merged into the named container: what it did not mention is kept.
    assertThat(patched.getReadinessProbe()).isEqualTo(base.getReadinessProbe());
    assertThat(patched.getVolumeMounts()).isEqualTo(base.getVolumeMounts());
  }

  @Test
  void dashboardQueriesOnlyMetricsTheServerRegisters() throws IOException {
    Set<String> exposed = new HashSet<>();
    for (MetricSnapshot m : new ServerMetrics().registry().scrape()) {
      String name = m.getMetadata().getPrometheusName();
      if (m instanceof CounterSnapshot) {
        exposed.add(name.endsWith("_total") ? name : name + "_total");
      } else if (m instanceof HistogramSnapshot) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
          exposed.add(name + suffix);
        }
      } else {
        exposed.add(name);
      }
    }
    JsonNode dashboard =
        new ObjectMapper().readTree(K8S.resolve("monitoring/grafana-dashboard.json").toFile());
    Set<String> used = new TreeSet<>();
    Pattern metric = Pattern.compile("weft_[a-z0-9_]+");
    for (JsonNode panel : dashboard.get("panels")) {
      assertThat(panel.get("targets")).as(panel.get("title").asString()).isNotEmpty();
      for (JsonNode t : panel.get("targets")) {
        Matcher mm = metric.matcher(t.get("expr").asString());
        while (mm.find()) {
          used.add(mm.group());
        }
      }
    }
    assertThat(used).hasSizeGreaterThanOrEqualTo(10);
    assertThat(exposed).containsAll(used);
  }

  @Test
  @SuppressWarnings("unchecked")
  void scrapeConfigReadsTheAnnotationsAndLabelsThePodsCarry() throws IOException {
    Map<String, Object> scrape =
        Kustomize.readYaml(K8S.resolve("monitoring/prometheus-scrape.yaml"));
    List<Map<String, Object>> relabels =
        (List<Map<String, Object>>)
            ((List<Map<String, Object>>) scrape.get("scrape_configs"))
                .get(0)
                .get("relabel_configs");
    List<String> sources = new ArrayList<>();
    relabels.forEach(r -> sources.addAll((List<String>) r.get("source_labels")));
    Built base = Built.of(K8S.resolve("base"));
    Deployment server = base.get(Deployment.class, "weft-server");
    for (String key : server.getSpec().getTemplate().getMetadata().getAnnotations().keySet()) {
      String meta = "__meta_kubernetes_pod_annotation_" + key.replaceAll("[^a-zA-Z0-9]", "_");
      assertThat(sources).contains(meta);
    }
    Map<String, Object> keep = relabels.get(0);
    String label = ((List<String>) keep.get("source_labels")).get(0);
    assertThat(label).isEqualTo("__meta_kubernetes_pod_label_app_kubernetes_io_part_of");
    assertThat(server.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/part-of", (String) keep.get("regex"));
  }

  /** Parses {@code args} with the real weft command tree; returns the leaf (sub)command's. */
  private static ParseResult parse(List<String> args, String leaf) {
    ParseResult r = new CommandLine(new WeftCommand()).parseArgs(args.toArray(String[]::new));
    while (r.hasSubcommand()) {
      r = r.subcommand();
    }
    assertThat(r.commandSpec().name()).isEqualTo(leaf);
    return r;
  }

  private static Container container(PodSpec pod, String name) {
    assertThat(pod.getAdditionalProperties()).as("unknown pod spec fields").isEmpty();
    Container c =
        pod.getContainers().stream()
            .filter(x -> x.getName().equals(name))
            .findFirst()
            .orElseThrow();
    assertThat(c.getAdditionalProperties()).as("unknown container fields").isEmpty();
    return c;
  }

  private static List<Integer> portNumbers(Container c) {
    return c.getPorts().stream().map(ContainerPort::getContainerPort).toList();
  }

  private static int port(Container c, String name) {
    return c.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + name))
        .getContainerPort();
  }

  private static long bytes(Quantity q) {
    return Quantity.getAmountInBytes(q)
        .setScale(0, java.math.RoundingMode.UNNECESSARY)
        .longValueExact();
  }

  private static long heapBytes(ConfigMap config) {
    Matcher m = Pattern.compile("-Xmx(\\d+)m").matcher(config.getData().get("JAVA_TOOL_OPTIONS"));
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1)) << 20;
  }

  /** The typed objects of one Kustomize build. */
  private record Built(List<HasMetadata> objects) {
    static Built of(Path dir) throws IOException {
      List<HasMetadata> out = new ArrayList<>();
      for (Map<String, Object> o : Kustomize.build(dir)) {
        out.add((HasMetadata) SERIALIZATION.unmarshal(Kustomize.YAML.writeValueAsString(o)));
      }
      return new Built(out);
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
      return objects.stream()
          .filter(type::isInstance)
          .map(type::cast)
          .filter(o -> o.getMetadata().getName().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }
  }
}
