package io.dataops.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of {@code infra/} without Docker (none on the build machines): the compose file parses, every
 * image is pinned to the tag the README names, every env file it names has a template with placeholders only, and
 * every {@code DATAOPS_*} setting it gives is one the platform reads.
 */
class InfraComposeTest {
  @TempDir Path dir;
  static final Path INFRA = Path.of("..", "infra").toAbsolutePath().normalize();
  /** The images and the tags the README's "Production set-up" names (and where they were found). */
  static final Set<String> IMAGES = Set.of("postgres:15", "minio/minio:RELEASE.2025-09-07T16-13-09Z",
      "minio/mc:RELEASE.2025-08-13T08-35-41Z");
  static final Set<String> BASE_IMAGES = Set.of("eclipse-temurin:17-jre-jammy", "flink:2.1.0-scala_2.12-java17",
      "apache/airflow:3.1.0");
  /** Read by the launcher, the sessions or the home, not by PlatformConfig.load. */
  static final Set<String> OUTSIDE_CONFIG = Set.of("DATAOPS_HOME", "DATAOPS_TOKEN", "DATAOPS_HEAP",
      "DATAOPS_JAVA_OPTS");

  @SuppressWarnings("unchecked")
  Map<String, Object> compose() throws Exception {
    return new Yaml().load(Files.readString(INFRA.resolve("compose.yaml")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theComposeFileParsesAndPinsEveryImage() throws Exception {
    Map<String, Object> services = (Map<String, Object>) compose().get("services");
    assertThat(services.keySet()).contains("postgres", "minio", "flink-jobmanager", "flink-taskmanager",
        "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "platform");
    Set<String> pulled = new TreeSet<>();
    for (var e : services.entrySet()) {
      Map<String, Object> s = (Map<String, Object>) e.getValue();
      String image = (String) s.get("image");
      assertThat(image).as(e.getKey() + " names its image").isNotNull();
      if (s.containsKey("build")) {
        assertThat(image).as(e.getKey()).endsWith(":local");
        Map<String, Object> build = (Map<String, Object>) s.get("build");
        Path dockerfile = INFRA.resolve((String) build.get("context")).resolve((String) build.get("dockerfile"));
        assertThat(dockerfile).as(e.getKey()).isRegularFile();
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(Files.readString(dockerfile));
        assertThat(from.find()).isTrue();
        assertThat(BASE_IMAGES).as(dockerfile.toString()).contains(from.group(1));
        for (String line : Files.readString(dockerfile).replace("\\\n", " ").split("\n")) {
          if (line.startsWith("COPY ")) {
            String[] words = line.trim().split("\\s+");
            for (int i = 1; i < words.length - 1; i++) { // the last word is the destination
              if (!words[i].contains("target/")) { // build outputs exist after mvn package only
                assertThat(INFRA.getParent().resolve(words[i])).as(dockerfile + " copies " + words[i]).exists();
              }
            }
          }
        }
      } else if (!image.endsWith(":local")) {
        pulled.add(image);
      }
    }
    assertThat(pulled).isSubsetOf(IMAGES).isNotEmpty();
    assertThat(String.join("\n", Files.readAllLines(INFRA.resolve("compose.yaml")))).doesNotContain(":latest");
    String readme = Files.readString(INFRA.getParent().resolve("README.md"));
    Stream.concat(IMAGES.stream(), BASE_IMAGES.stream()).forEach(i -> assertThat(readme).as("README names " + i)
        .contains(i));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyEnvFileHasATemplateWithPlaceholdersOnlyAndTheFilledOnesStayOutOfGit() throws Exception {
    Set<String> named = new HashSet<>();
    Map<String, Object> services = (Map<String, Object>) compose().get("services");
    for (Object s : services.values()) {
      Object envFiles = ((Map<String, Object>) s).get("env_file");
      if (envFiles != null) {
        named.addAll((List<String>) envFiles);
      }
    }
    assertThat(named).contains("env/platform.env", "env/postgres.env", "env/minio.env", "env/airflow.env");
    for (String f : named) {
      Path template = INFRA.resolve(f + ".example");
      assertThat(template).isRegularFile();
      Properties p = new Properties();
      try (var r = Files.newBufferedReader(template)) {
        p.load(r);
      }
      for (String key : p.stringPropertyNames()) {
        if (key.contains("PASSWORD") || key.contains("SECRET") || key.contains("FERNET") || key.endsWith("_CONN")) {
          assertThat(p.getProperty(key)).as(f + ": " + key + " is a placeholder").contains("CHANGE_ME");
        }
      }
    }
    assertThat(Files.readString(INFRA.resolve(".gitignore"))).contains("env/*.env");
  }

  @Test
  void everyPlatformSettingTheDeploymentGivesIsOneThePlatformReads() throws Exception {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(INFRA.resolve("env/platform.env.example"))) {
      p.load(r);
    }
    Set<String> given = new TreeSet<>(p.stringPropertyNames());
    Matcher m = Pattern.compile("\\b(DATAOPS_[A-Z_]+)\\b").matcher(Files.readString(INFRA.resolve("compose.yaml")));
    while (m.find()) {
      given.add(m.group(1));
    }
    given.removeIf(k -> k.equals("DATAOPS_DB_PASSWORD")); // postgres.env's, for the database's own set-up
    // The template's settings as the environment, recording which keys PlatformConfig.load asks for: they all load.
    Set<String> read = new HashSet<>();
    Map<String, String> env = new HashMap<>() {
      @Override
      public String get(Object key) {
        read.add((String) key);
        return super.get(key);
      }
    };
    p.stringPropertyNames().forEach(k -> env.put(k, p.getProperty(k)));
    PlatformConfig config = PlatformConfig.load(dir, env);
    assertThat(config.airflow().url()).hasToString("http://airflow-apiserver:8080");
    assertThat(config.flinkCluster()).isEqualTo("flink-jobmanager:8081");
    assertThat(config.lakehouse().isEmbedded()).isFalse();
    List<String> unknown = new ArrayList<>();
    for (String k : given) {
      if (!read.contains(k) && !OUTSIDE_CONFIG.contains(k)) {
        unknown.add(k);
      }
    }
    assertThat(unknown).as("settings no part of the platform reads").isEmpty();
    assertThat(given).contains("DATAOPS_CATALOG_URI", "DATAOPS_AIRFLOW_URL", "DATAOPS_FLINK_CLUSTER");
  }

  /**
   * Production storage as PlatformConfig reads it from the template: the catalog in PostgreSQL, the warehouse, landing
   * zone and archives in buckets that minio-init makes (the archive's with object lock), on MinIO through the AWS
   * SDK's own variables, with the platform's keys (not MinIO's root) given to minio-init from the same file; and
   * the Flink image copies the AWS SDK jars of the version the build uses.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theWarehouseLandingZoneAndArchivesAreInMinio() throws Exception {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(INFRA.resolve("env/platform.env.example"))) {
      p.load(r);
    }
    Map<String, String> env = new HashMap<>();
    p.stringPropertyNames().forEach(k -> env.put(k, p.getProperty(k)));
    PlatformConfig config = PlatformConfig.load(dir, env);
    assertThat(config.lakehouse().catalogUri()).startsWith("jdbc:postgresql://postgres:5432/");
    assertThat(config.lakehouse().onObjectStorage()).as("the warehouse is in a bucket").isTrue();
    var store = config.lakehouse().objectStore();
    assertThat(store.endpoint()).hasToString("http://minio:9000");
    assertThat(store.pathStyle()).isTrue();
    assertThat(store.accessKeyId()).isEqualTo(p.getProperty("AWS_ACCESS_KEY_ID"));
    assertThat(store.secretAccessKey()).as("a placeholder, not a value").isEqualTo("CHANGE_ME");

    Map<String, Object> init = (Map<String, Object>) ((Map<String, Object>) compose().get("services")).get("minio-init");
    assertThat((List<String>) init.get("env_file")).contains("env/minio.env", "env/platform.env");
    String command = String.join("\n", (List<String>) init.get("command"));
    Set<String> made = new TreeSet<>();
    Set<String> locked = new TreeSet<>();
    Matcher mb = Pattern.compile("mc mb --ignore-existing( --with-lock)?((?: dataops/[a-z0-9-]+)+)").matcher(command);
    while (mb.find()) {
      for (String b : mb.group(2).trim().split(" ")) {
        made.add(b.substring("dataops/".length()));
        if (mb.group(1) != null) {
          locked.add(b.substring("dataops/".length()));
        }
      }
    }
    assertThat(made).contains(io.dataops.lakehouse.storage.ObjectStore.bucketOf(config.lakehouse().warehouse()),
        io.dataops.lakehouse.storage.ObjectStore.bucketOf(config.landingBucket()));
    assertThat(locked).containsExactly(io.dataops.lakehouse.storage.ObjectStore.bucketOf(config.archiveRoot()));
    assertThat(command).as("the platform's own MinIO user, with platform.env's keys")
        .contains("mc admin user add dataops \"$$AWS_ACCESS_KEY_ID\" \"$$AWS_SECRET_ACCESS_KEY\"");

    Matcher version = Pattern.compile("<awssdk.version>([^<]+)</awssdk.version>")
        .matcher(Files.readString(INFRA.getParent().resolve("pom.xml")));
    assertThat(version.find()).isTrue();
    assertThat(Files.readString(INFRA.resolve("flink/Dockerfile"))).as("the AWS SDK jars of the build's version")
        .contains("platform/target/lib/*-" + version.group(1) + ".jar");
  }
}
