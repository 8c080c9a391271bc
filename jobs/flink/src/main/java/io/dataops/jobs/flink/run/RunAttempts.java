package io.dataops.jobs.flink.run;

import io.dataops.pipelines.plan.RunRecord;
import io.dataops.products.publish.PublishVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts of one run (one run key), each with its scratch folder under {@code .dataops-runs/<key>/<attempt>/}
 * and its own data folder in the product table. An attempt first records who runs it (host, process id, the process's
 * start); an attempt whose process is gone (killed) left its scratch states and uncommitted files behind, and the next
 * attempt of the same run removes them — but never a file a snapshot of the run references (a killed attempt may have
 * staged, or even published, its files: the publish completes that snapshot). Attempts of other hosts are left alone:
 * whether their process lives cannot be told from here.
 */
final class RunAttempts {
  private static final Logger LOG = LoggerFactory.getLogger(RunAttempts.class);
  static final String OWNER = "attempt.properties";

  private final FileIO io;
  private final String folder;

  /** @param folder the run's folder of attempts ({@code .dataops-runs/<key>}) */
  RunAttempts(FileIO io, String folder) {
    this.io = io;
    this.folder = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
  }

  /** The folder of every run's attempts ({@code .dataops-runs}). */
  String root() {
    return folder.substring(0, folder.lastIndexOf('/'));
  }

  String scratch(String attempt) {
    return folder + "/" + attempt;
  }

  /**
   * Records that this process runs {@code attempt} of {@code run}, writing its files to {@code dataLocation} (the run's
   * record lets a later run of the product tell whose the folder is: {@link #deadRuns}).
   */
  void register(String attempt, String dataLocation, RunRecord run) {
    Properties p = run.addTo(new Properties());
    ProcessHandle self = ProcessHandle.current();
    p.setProperty("host", host().orElse(""));
    p.setProperty("pid", Long.toString(self.pid()));
    p.setProperty("started", self.info().startInstant().map(Instant::toString).orElse(""));
    p.setProperty("data", dataLocation);
    try (OutputStream out = io.newOutputFile(scratch(attempt) + "/" + OWNER).createOrOverwrite()) {
      p.store(out, "an attempt of a Flink run");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the run's attempt in " + scratch(attempt), e);
    }
  }

  /** Removes what dead attempts of {@code runKey} left: their scratch and the files no snapshot of the run holds. */
  int removeDead(Table product, String runKey) {
    int removed = 0;
    Set<String> kept = null;
    for (String attempt : attempts()) {
      Optional<Properties> owner = owner(attempt);
      if (owner.isEmpty() || !dead(owner.get())) {
        continue; // alive, elsewhere, or just starting
      }
      if (kept == null) {
        kept = referenced(product, runKey);
      }
      RunScratch.remove(io, owner.get().getProperty("data"), List.of(), kept::contains);
      RunScratch.remove(io, scratch(attempt), List.of(), f -> false);
      LOG.info("removed what a killed attempt of run {} left ({})", runKey.substring(0, 16), attempt);
      removed++;
    }
    return removed;
  }

  /**
   * The runs of {@code product} under {@code root} (the warehouse's {@code .dataops-runs}) whose every attempt's
   * process is gone, by their folder's name: nothing resumes an attempt (the next one of the same key starts anew), so
   * what they left is garbage once no process runs them.
   */
  static java.util.Map<String, RunRecord> deadRuns(FileIO io, String root, String product) {
    java.util.Map<String, RunRecord> out = new java.util.TreeMap<>();
    if (!(io instanceof SupportsPrefixOperations prefixed)) {
      return out;
    }
    Set<String> folders = new TreeSet<>();
    String segment = "/" + root.substring(root.lastIndexOf('/') + 1) + "/";
    try {
      for (FileInfo f : prefixed.listPrefix(root + "/")) {
        int at = f.location().lastIndexOf(segment); // listed locations may spell the scheme otherwise
        String rest = at < 0 ? "" : f.location().substring(at + segment.length());
        if (rest.endsWith("/" + OWNER) && rest.indexOf('/') > 0) {
          folders.add(rest.substring(0, rest.indexOf('/')));
        }
      }
    } catch (RuntimeException none) {
      return out; // no run yet
    }
    for (String folder : folders) {
      RunAttempts run = new RunAttempts(io, root + "/" + folder);
      Optional<RunRecord> record = Optional.empty();
      boolean allDead = true;
      for (String attempt : run.attempts()) {
        Optional<Properties> owner = run.owner(attempt);
        allDead &= owner.isPresent() && dead(owner.get());
        if (record.isEmpty() && owner.isPresent()) {
          record = RunRecord.from(owner.get());
        }
      }
      if (allDead && record.isPresent() && record.get().product().equals(product)) {
        out.put(folder, record.get());
      }
    }
    return out;
  }

  private Set<String> attempts() {
    Set<String> out = new TreeSet<>();
    if (!(io instanceof SupportsPrefixOperations prefixed)) {
      return out;
    }
    try {
      // listed locations may spell the scheme otherwise (file:/ or file:///): found by the run key's segment
      String key = "/" + folder.substring(folder.lastIndexOf('/') + 1) + "/";
      for (FileInfo f : prefixed.listPrefix(folder + "/")) {
        int at = f.location().lastIndexOf(key);
        String rest = at < 0 ? "" : f.location().substring(at + key.length());
        if (rest.endsWith("/" + OWNER)) {
          out.add(rest.substring(0, rest.length() - OWNER.length() - 1));
        }
      }
    } catch (RuntimeException none) {
      // no attempt yet
    }
    return out;
  }

  private Optional<Properties> owner(String attempt) {
    try (InputStream in = io.newInputFile(scratch(attempt) + "/" + OWNER).newStream()) {
      Properties p = new Properties();
      p.load(in);
      return Optional.of(p);
    } catch (IOException | RuntimeException gone) {
      return Optional.empty();
    }
  }

  /** The attempt's process ran here and is gone (no process of that id, or another one started since). */
  private static boolean dead(Properties owner) {
    Optional<String> here = host();
    if (here.isEmpty() || !here.get().equals(owner.getProperty("host"))) {
      return false;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(owner.getProperty("pid")));
    return p.isEmpty() || !p.get().isAlive() || !p.get().info().startInstant().map(Instant::toString).orElse("")
        .equals(owner.getProperty("started"));
  }

  private static Set<String> referenced(Table product, String runKey) {
    product.refresh();
    Set<String> files = new HashSet<>();
    for (Snapshot s : product.snapshots()) {
      if (runKey.equals(s.summary().get(PublishVersion.SUMMARY_RUN_KEY))) {
        s.addedDataFiles(product.io()).forEach(f -> files.add(RunScratch.path(f.location())));
      }
    }
    return files;
  }

  private static Optional<String> host() {
    try {
      return Optional.of(InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
