package io.dataops.jobs.flink.run;

import io.dataops.pipelines.desensitize.ConfiguredKeyRing;
import io.dataops.pipelines.desensitize.KeyRing;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Where a task finds its keys: its own environment ({@code DATAOPS_KEY_<NAME>}) and the keys file at the path the
 * platform is configured with (the same path on every machine, or a file the cluster provides there). The job carries
 * only the path, never a key; the policies rebuilt with these keys refuse a key whose fingerprint is not the planned
 * one ({@link io.dataops.pipelines.run.PolicyDescription}).
 */
record TaskKeys(String keysFile) implements Serializable {
  KeyRing open() {
    return new ConfiguredKeyRing(System.getenv(), keysFile == null ? null : Path.of(keysFile), keysFile != null);
  }
}
