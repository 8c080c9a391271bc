package io.dataops.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformConfigTest {
  @TempDir Path home;

  @Test
  void embeddedByDefault() {
    PlatformConfig c = PlatformConfig.load(home, Map.of());
    assertThat(c.lakehouse().isEmbedded()).isTrue();
    assertThat(c.lakehouse().catalogUri()).isEqualTo("jdbc:sqlite:" + home.resolve("catalog.db"));
    assertThat(c.lakehouse().warehouse()).isEqualTo(home.resolve("warehouse").toUri().toString());
  }

  @Test
  void homeFromOptionThenEnvironmentThenDefault() {
    assertThat(PlatformConfig.resolveHome("/x", Map.of("DATAOPS_HOME", "/y"))).isEqualTo(Path.of("/x"));
    assertThat(PlatformConfig.resolveHome(null, Map.of("DATAOPS_HOME", "/y"))).isEqualTo(Path.of("/y"));
    assertThat(PlatformConfig.resolveHome(null, Map.of())).isEqualTo(Path.of("dataops-home").toAbsolutePath());
  }

  @Test
  void environmentWinsOverTheFileAndThePasswordComesFromAFile() throws Exception {
    Path secret = home.resolve("secret");
    Files.writeString(secret, "s3cret\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(home.resolve("dataops.properties"), """
        catalog.uri=jdbc:postgresql://db.internal:5432/from_file
        catalog.user=dataops
        catalog.password-file=%s
        warehouse=s3://lake/warehouse
        """.formatted(secret));
    PlatformConfig c = PlatformConfig.load(home, Map.of("DATAOPS_CATALOG_URI", "jdbc:postgresql://pg:5432/from_env"));
    assertThat(c.lakehouse().catalogUri()).isEqualTo("jdbc:postgresql://pg:5432/from_env");
    assertThat(c.lakehouse().catalogUser()).isEqualTo("dataops");
    assertThat(c.lakehouse().catalogPassword()).isEqualTo("s3cret");
    assertThat(c.lakehouse().warehouse()).isEqualTo("s3://lake/warehouse");
    assertThat(c.toString()).doesNotContain("s3cret").contains("(hidden)");
  }

  @Test
  void anS3WarehouseTakesTheAwsSdksVariablesAndNeverShowsTheSecret() throws Exception {
    Files.writeString(home.resolve("dataops.properties"), "warehouse=s3://lake/warehouse\ns3.region=cn-north-1\n");
    PlatformConfig c = PlatformConfig.load(home, Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9000",
        "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "very-s3cret"));
    var store = c.lakehouse().objectStore();
    assertThat(store.endpoint()).hasToString("http://127.0.0.1:9000");
    assertThat(store.region()).isEqualTo("cn-north-1");
    assertThat(store.pathStyle()).isTrue();
    assertThat(store.secretAccessKey()).isEqualTo("very-s3cret");
    assertThat(c.lakehouse().extra()).containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO")
        .containsEntry("s3.endpoint", "http://127.0.0.1:9000").containsEntry("s3.path-style-access", "true");
    assertThat(c.toString()).doesNotContain("very-s3cret").contains("(hidden)");
    assertThat(PlatformConfig.load(home, Map.of()).lakehouse().objectStore().accessKeyId())
        .as("no key configured: the AWS SDK's own chain").isNull();

    Files.writeString(home.resolve("dataops.properties"), "warehouse=s3://lake/w\ns3.secret-access-key=oops\n");
    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of())).isInstanceOf(BadInputException.class)
        .hasMessageContaining("do not put the S3 secret access key in this file").hasMessageNotContaining("oops");
  }

  /**
   * Found by a probe: a password file that every local user could read was taken as it was, while the credentials
   * file is refused then. Each secret's file is refused the same way, and taken once it is owner-only.
   */
  @Test
  void aSecretFileOthersMayReadIsRefused() throws Exception {
    Path secret = home.resolve("secret");
    Files.writeString(secret, "pa55-word\n");
    Map<String, String> settings = Map.of("catalog.password-file", "catalog.uri=jdbc:postgresql://pg:5432/d\n",
        "airflow.password-file", "airflow.url=http://airflow:8080\nairflow.username=dataops\n",
        "s3.secret-access-key-file", "warehouse=s3://lake/w\ns3.access-key-id=local\n");
    for (var setting : settings.entrySet()) {
      Files.writeString(home.resolve("dataops.properties"), setting.getValue() + setting.getKey() + "=" + secret
          + "\n");
      for (String mode : List.of("rw-r--r--", "rw-r-----", "rw----r--", "rw--w----")) {
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString(mode));
        assertThatThrownBy(() -> PlatformConfig.load(home, Map.of())).as(setting.getKey() + " " + mode)
            .isInstanceOf(BadInputException.class)
            .hasMessageContaining("file " + secret + " named by " + setting.getKey() + " may be read or changed by "
                + "other users (" + mode + "); it is refused: make it owner-only (chmod 600 " + secret + ")")
            .hasMessageNotContaining("pa55-word");
      }
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("r--------"));
      PlatformConfig c = PlatformConfig.load(home, Map.of());
      assertThat(setting.getKey().startsWith("catalog") ? c.lakehouse().catalogPassword()
          : setting.getKey().startsWith("airflow") ? c.airflow().password()
          : c.lakehouse().objectStore().secretAccessKey()).isEqualTo("pa55-word");
    }
  }

  @Test
  void aPasswordInThePropertiesFileIsRefused() throws Exception {
    Files.writeString(home.resolve("dataops.properties"), "catalog.password=oops\n");
    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of())).isInstanceOf(BadInputException.class)
        .hasMessageContaining("do not put the password in this file").hasMessageNotContaining("oops");
  }

  @Test
  void airflowIsConfiguredWithItsPasswordFromTheEnvironmentOrAFileNeverTheProperties() throws Exception {
    assertThat(PlatformConfig.load(home, Map.of()).airflow()).as("none by default").isNull();
    Path secret = home.resolve("airflow-secret");
    Files.writeString(secret, "af-s3cret\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(home.resolve("dataops.properties"), """
        airflow.url=http://airflow.internal:8080
        airflow.api=v1
        airflow.username=dataops
        airflow.password-file=%s
        """.formatted(secret));
    var a = PlatformConfig.load(home, Map.of()).airflow();
    assertThat(a.url()).hasToString("http://airflow.internal:8080");
    assertThat(a.api()).isEqualTo(io.dataops.scheduler.airflow.AirflowApi.V1);
    assertThat(a.username()).isEqualTo("dataops");
    assertThat(a.password()).isEqualTo("af-s3cret");
    assertThat(PlatformConfig.load(home, Map.of("DATAOPS_AIRFLOW_PASSWORD", "from-env", "DATAOPS_AIRFLOW_API", "v2"))
        .airflow()).satisfies(x -> {
          assertThat(x.password()).isEqualTo("from-env");
          assertThat(x.api()).isEqualTo(io.dataops.scheduler.airflow.AirflowApi.V2);
        });
    assertThat(PlatformConfig.load(home, Map.of()).toString()).doesNotContain("af-s3cret").contains("(hidden)");
    assertThat(a.timeout()).as("the default").isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(PlatformConfig.load(home, Map.of("DATAOPS_AIRFLOW_TIMEOUT", "120")).airflow().timeout())
        .isEqualTo(java.time.Duration.ofSeconds(120));
    for (String bad : List.of("0", "601", "30s", "-5", "99999999999999999999")) {
      assertThatThrownBy(() -> PlatformConfig.load(home, Map.of("DATAOPS_AIRFLOW_TIMEOUT", bad)))
          .isInstanceOf(BadInputException.class)
          .hasMessage("airflow.timeout-seconds (DATAOPS_AIRFLOW_TIMEOUT) is how long Airflow may take to answer one "
              + "request, 1 to 600 seconds, not '" + bad + "'");
    }

    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of("DATAOPS_AIRFLOW_API", "v3")))
        .isInstanceOf(BadInputException.class).hasMessage("airflow.api is v1 (Airflow 2) or v2 (Airflow 3), not 'v3'");
    Files.writeString(home.resolve("dataops.properties"), "airflow.url=http://airflow:8080\n");
    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of())).isInstanceOf(BadInputException.class)
        .hasMessageContaining("not how to sign in");
    Files.writeString(home.resolve("dataops.properties"), "airflow.url=http://airflow:8080\nairflow.password=oops\n");
    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of())).isInstanceOf(BadInputException.class)
        .hasMessageContaining("do not put Airflow's password in this file").hasMessageNotContaining("oops");
  }

  @Test
  void aCatalogUriCarryingCredentialsIsRefused() {
    assertThat(PlatformConfig.carriesPassword("jdbc:postgresql://pg:5432/dataops")).isFalse();
    assertThat(PlatformConfig.carriesPassword("jdbc:postgresql://pg:5432/dataops?ssl=true&user=ops")).isFalse();
    assertThat(PlatformConfig.carriesPassword("jdbc:postgresql://pg/db?options=-c%20search_path=a@b")).isFalse();
    assertThat(PlatformConfig.carriesPassword("jdbc:postgresql://ops:pw@pg:5432/dataops")).isTrue();
    assertThat(PlatformConfig.carriesPassword("jdbc:postgresql://pg:5432/dataops?user=ops&PASSWORD=pw")).isTrue();
    assertThat(PlatformConfig.carriesPassword("jdbc:postgresql://pg/dataops?sslmode=verify-full&sslpassword=k"))
        .isTrue();
    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of("DATAOPS_CATALOG_URI",
        "jdbc:postgresql://pg:5432/dataops?password=hunter2"))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("must not carry credentials").hasMessageNotContaining("hunter2");
  }

  /** Found by a probe: an S3 endpoint with user:password@ was taken in silence. */
  @Test
  void anObjectStoreEndpointCarryingCredentialsIsRefused() {
    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of("DATAOPS_WAREHOUSE", "s3://warehouse/iceberg",
        "AWS_ENDPOINT_URL", "http://minio:hunter2@127.0.0.1:9000")))
        .isInstanceOf(BadInputException.class).hasMessageContaining("must not carry credentials")
        .hasMessageNotContaining("hunter2");
    for (String setting : List.of("DATAOPS_WAREHOUSE", "DATAOPS_LANDING_BUCKET", "DATAOPS_ARCHIVE")) {
      Map<String, String> env = new java.util.HashMap<>(Map.of("DATAOPS_WAREHOUSE", "s3://warehouse/iceberg"));
      env.put(setting, "s3://AKIA1:hunter2@warehouse/x");
      assertThatThrownBy(() -> PlatformConfig.load(home, env)).as(setting).isInstanceOf(BadInputException.class)
          .hasMessageContaining("must not carry credentials").hasMessageNotContaining("hunter2");
    }
    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of("DATAOPS_WAREHOUSE", "s3://warehouse/iceberg",
        "AWS_ENDPOINT_URL", "http://minio:hun ter2@127.0.0.1")))
        .isInstanceOf(BadInputException.class).hasMessageContaining("is not a URL")
        .hasMessageNotContaining("hun ter2");
  }

  @Test
  void anUnsupportedCatalogIsRefused() {
    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of("DATAOPS_CATALOG_URI", "jdbc:mysql://x/y")))
        .isInstanceOf(BadInputException.class).hasMessageContaining("catalog.uri must be");
  }

  @Test
  void theAuthorityMakesTheLimitsOfMasksStricterNeverLooser() throws Exception {
    assertThat(PlatformConfig.load(home, Map.of()).keepLimits()).isEqualTo(io.dataops.pipelines.definition.KeepLimits
        .DEFAULTS);
    Files.writeString(home.resolve("dataops.properties"), "mask.limit.id_card = 4+4\nmask.limit.mobile = 3+4\n");
    var limits = PlatformConfig.load(home, Map.of("DATAOPS_MASK_LIMIT_MOBILE", "0+4")).keepLimits().limits();
    assertThat(limits.get(io.dataops.lakehouse.contract.PersonalData.ID_CARD))
        .isEqualTo(new io.dataops.pipelines.definition.KeepLimits.Limit(4, 4));
    assertThat(limits.get(io.dataops.lakehouse.contract.PersonalData.MOBILE)).as("the environment wins")
        .isEqualTo(new io.dataops.pipelines.definition.KeepLimits.Limit(0, 4));
    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of("DATAOPS_MASK_LIMIT_ID_CARD", "8+4")))
        .isInstanceOf(BadInputException.class).hasMessage("DATAOPS_MASK_LIMIT_ID_CARD: 8+4 would keep more than the "
            + "platform's 6+4; a limit can only be made stricter");
    Files.writeString(home.resolve("dataops.properties"), "mask.limit.passport = 2+2\n");
    assertThatThrownBy(() -> PlatformConfig.load(home, Map.of())).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(home.resolve("dataops.properties") + ": mask.limit.passport: unknown personal-data "
            + "kind 'passport'");
  }
}
