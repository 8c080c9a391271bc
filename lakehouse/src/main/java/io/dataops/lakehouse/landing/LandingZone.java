package io.dataops.lakehouse.landing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * A landing zone in a bucket: departments put feeds under {@code landing/<department>/<dataset>/}; each is landed
 * (its content digest is the landing's dedup key, so an object put twice, or landed by a run that died before moving
 * it, lands once), then moved to {@code landed/} or {@code rejected/} under the same department and dataset, with a
 * reason object beside it ({@code <name>.result.json}). The reason names no value of the feed: landing's refusals
 * never do. Everything goes through Iceberg's FileIO (S3FileIO on a bucket; a local folder works the same).
 */
public final class LandingZone {
  public static final String LANDING = "landing/";
  public static final String LANDED = "landed/";
  public static final String REJECTED = "rejected/";
  public static final String RESULT_SUFFIX = ".result.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileIO io;
  private final String root;

  /** @param root the zone's bucket and prefix, e.g. {@code s3://intake} or {@code s3://lake/zone} */
  public LandingZone(FileIO io, String root) {
    if (!(io instanceof SupportsPrefixOperations)) {
      throw new BadInputException("the storage of " + root + " cannot list objects (" + io.getClass().getSimpleName()
          + ")");
    }
    this.io = io;
    this.root = root.endsWith("/") ? root : root + "/";
  }

  public String root() {
    return root;
  }

  /** The storage the zone is read and written through. */
  public FileIO io() {
    return io;
  }

  /**
   * An object waiting under {@code landing/}: its department and dataset (null when its key is not
   * {@code landing/<department>/<dataset>/<name>}), its location, name and size.
   */
  public record Waiting(String department, String dataset, String location, String name, long size) {
    public boolean wellPlaced() {
      return department != null;
    }
  }

  /** The objects waiting, in key order (a folder marker, a key ending in '/', is no feed). */
  public List<Waiting> waiting() {
    List<Waiting> out = new ArrayList<>();
    for (FileInfo f : ((SupportsPrefixOperations) io).listPrefix(root + LANDING)) {
      String key = f.location().substring((root + LANDING).length());
      if (key.isEmpty() || key.endsWith("/")) {
        continue;
      }
      String[] parts = key.split("/");
      String name = parts[parts.length - 1];
      boolean placed = parts.length == 3 && valid(parts[0]) && valid(parts[1]);
      out.add(new Waiting(placed ? parts[0] : null, placed ? parts[1] : null, f.location(), name, f.size()));
    }
    out.sort(Comparator.comparing(Waiting::location));
    return out;
  }

  private static boolean valid(String part) {
    return part.matches("[a-z][a-z0-9_-]*");
  }

  /** The feed's bytes, for {@link Landing}. */
  public FeedFile feed(Waiting w) {
    return FeedFile.at(io, w.location());
  }

  /** Moves a landed object to {@code landed/} with what its landing gave; returns where it went. */
  public String landed(Waiting w, Map<String, Object> result) {
    return move(w, LANDED, result);
  }

  /** Moves a refused object to {@code rejected/} with the one-line reason; returns where it went. */
  public String rejected(Waiting w, String reason) {
    return move(w, REJECTED, Map.of("reason", reason));
  }

  /**
   * The reason object first, then the copy, then the removal from {@code landing/}: a crash leaves the object waiting
   * (landing it again finds its digest and says which snapshot has it), never lost.
   */
  private String move(Waiting w, String to, Map<String, Object> result) {
    String rest = w.location().substring((root + LANDING).length());
    String target = root + to + rest;
    if (io.newInputFile(target).exists()) {
      // Same name landed before with another content: keep both, the newer with its size and time.
      target = target + "." + System.currentTimeMillis();
    }
    try {
      try (OutputStream out = io.newOutputFile(target + RESULT_SUFFIX).createOrOverwrite()) {
        java.util.LinkedHashMap<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("object", w.location());
        body.putAll(result);
        out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
      }
      try (OutputStream out = io.newOutputFile(target).createOrOverwrite()) {
        if (w.size() > 0) { // an empty object has no byte range to ask for (S3 answers 416)
          try (InputStream in = io.newInputFile(w.location()).newStream()) {
            in.transferTo(out);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + w.location() + " to " + target, e);
    }
    io.deleteFile(w.location());
    return target;
  }
}
