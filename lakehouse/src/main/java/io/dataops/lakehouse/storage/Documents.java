package io.dataops.lakehouse.storage;

import io.dataops.core.audit.AuditSink;
import io.dataops.core.audit.BegunAction;
import io.dataops.core.files.OutFiles;
import io.dataops.core.files.OwnerOnly;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.io.FileIO;

/**
 * Where the platform's own documents go — outboxes (reports and notices for an organization), destruction
 * certificates: a folder of the home (owner-only files, written beside and renamed into place), or, with the warehouse
 * on object storage, a prefix of its bucket written through the warehouse's FileIO (an S3 put is whole or absent), so
 * that no file of a bucket-backed platform lands under the home. Names are relative, '/'-separated.
 */
public final class Documents {
  private final String root;
  private final FileIO io;

  private Documents(String root, FileIO io) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.io = io;
  }

  /** Documents in a local folder. */
  public static Documents local(Path folder) {
    return new Documents(folder.toAbsolutePath().normalize().toString(), null);
  }

  /** Documents under {@code s3://BUCKET/prefix} through {@code io}. */
  public static Documents inBucket(String root, FileIO io) {
    ObjectStore.bucketOf(root);
    return new Documents(root, io);
  }

  /** Documents under {@code s3://BUCKET/prefix} of {@code store}, through an S3FileIO kept per store and process. */
  public static Documents inBucket(String root, ObjectStore store) {
    return inBucket(root, IOS.computeIfAbsent(store, s -> CatalogUtil.loadFileIO(ObjectStore.S3FILEIO,
        s.fileIoProperties(), null)));
  }

  private static final java.util.Map<ObjectStore, FileIO> IOS = new java.util.concurrent.ConcurrentHashMap<>();

  public boolean local() {
    return io == null;
  }

  /** The folder or {@code s3://} prefix these documents are in. */
  public String root() {
    return root;
  }

  /** The documents under a sub-folder ({@code resolve("bureau", "billing")}). */
  public Documents resolve(String... parts) {
    String r = root;
    for (String p : parts) {
      r = r + "/" + check(p);
    }
    return new Documents(r, io);
  }

  /** Where a document of this name is (a path, or an {@code s3://} location). */
  public String location(String name) {
    return root + "/" + check(name);
  }

  private static String check(String name) {
    if (name.isEmpty() || name.startsWith("/") || ("/" + name + "/").contains("/../")) {
      throw new IllegalArgumentException("not a document name: " + name);
    }
    return name;
  }

  public String write(String name, byte[] bytes) throws IOException {
    return write(name, out -> out.write(bytes));
  }

  public String writeString(String name, CharSequence text) throws IOException {
    return write(name, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a document's bytes to the stream it is given (which it must not close). */
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes a document as a stream; it is under its name only when {@code body} completed: a local file is written
   * beside and renamed, and an object whose writing failed is removed again. Returns where it is.
   */
  public String write(String name, Body body) throws IOException {
    String location = location(name);
    if (io != null) {
      try (OutputStream out = io.newOutputFile(location).createOrOverwrite()) {
        body.writeTo(out);
      } catch (IOException | RuntimeException e) {
        try {
          io.deleteFile(location);
        } catch (RuntimeException ignored) {
          // never uploaded: nothing to remove
        }
        throw e;
      }
      return location;
    }
    Path target = Path.of(location);
    Path tmp = aside(target);
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        body.writeTo(out);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return location;
  }

  /**
   * What records the issue of documents, around the step that puts them under their names (a local move, an upload):
   * see {@link #issue(Map, Issue)}.
   */
  public interface Issue {
    /** Before any of them is under its name; if it throws, none is put there. */
    void begin();

    /** Once every one is under its name; if it throws, they are removed again (not issued without the record). */
    void issued();

    /** When they could not all be put under their names (none is left there); {@code why} is thrown after it. */
    void failed(Exception why);

    /**
     * The issue recorded as {@code action} through {@code audit}: its begun record, its event once issued, a failed
     * one naming the begun record (and why, never a value) when they could not be put under their names.
     */
    static Issue recorded(BegunAction action, AuditSink audit) {
      return new Issue() {
        @Override
        public void begin() {
          audit.record(action.begun());
        }

        @Override
        public void issued() {
          audit.record(action.done());
        }

        @Override
        public void failed(Exception why) {
          action.recordFailed(audit, why);
        }
      };
    }
  }

  /**
   * Issues documents that must not stand without a record of their issue: each is written aside, then
   * {@link Issue#begin} runs, and only once it returned are they put under their names, in order; then
   * {@link Issue#issued}. If putting one there fails, the ones put there already are removed and {@link Issue#failed}
   * is told why; if {@code issued} throws, every one is removed. Local files are written beside and renamed. In a
   * bucket an object is visible once uploaded, so the bytes are held in memory (these are small documents) and
   * uploaded after {@code begin}: an upload that fails removes its object. Returns where they are, in order.
   */
  public List<String> issue(Map<String, byte[]> documents, Issue record) throws IOException {
    List<String> locations = new ArrayList<>();
    for (String name : documents.keySet()) {
      locations.add(location(name));
    }
    if (io != null) {
      record.begin();
      List<String> uploaded = new ArrayList<>();
      try {
        for (var d : documents.entrySet()) {
          uploaded.add(write(d.getKey(), d.getValue()));
        }
      } catch (IOException | RuntimeException notUploaded) {
        removeObjects(uploaded, notUploaded);
        record.failed(notUploaded);
        throw notUploaded;
      }
      try {
        record.issued();
      } catch (RuntimeException unrecorded) {
        removeObjects(uploaded, unrecorded);
        throw unrecorded;
      }
      return locations;
    }
    for (String location : locations) {
      // Refused before the record: a folder under the name failed the move after it, and the record claimed a
      // document never issued.
      if (Files.isDirectory(OutFiles.checkName(Path.of(location)))) {
        throw new FileSystemException(location, null, "Is a directory");
      }
    }
    List<Path> written = new ArrayList<>();
    List<Path> moved = new ArrayList<>();
    try {
      for (var d : documents.entrySet()) {
        Path tmp = aside(Path.of(location(d.getKey())));
        written.add(tmp);
        Files.write(tmp, d.getValue());
      }
      record.begin();
      try {
        for (int i = 0; i < written.size(); i++) {
          Path target = Path.of(locations.get(i));
          Files.move(written.get(i), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          moved.add(target);
        }
      } catch (IOException notMoved) {
        // a folder or an immutable file there since the check: none is issued
        removeFiles(moved, notMoved);
        record.failed(notMoved);
        throw notMoved;
      }
      try {
        record.issued();
      } catch (RuntimeException unrecorded) {
        removeFiles(moved, unrecorded);
        throw unrecorded;
      }
    } finally {
      for (Path tmp : written) {
        Files.deleteIfExists(tmp);
      }
    }
    return locations;
  }

  private static void removeFiles(List<Path> files, Exception why) {
    for (Path f : files) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException cleanup) {
        why.addSuppressed(cleanup);
      }
    }
  }

  private void removeObjects(List<String> objects, Exception why) {
    for (String o : objects) {
      try {
        io.deleteFile(o);
      } catch (RuntimeException cleanup) {
        why.addSuppressed(cleanup);
      }
    }
  }

  /**
   * An owner-only temporary file beside {@code target} (its folder made owner-only), to be renamed into place; its
   * name within the file system's limit, with room for the random number and suffix the JDK adds (up to 24 bytes).
   */
  private static Path aside(Path target) throws IOException {
    OwnerOnly.directories(target.getParent());
    String prefix = OutFiles.fitted("." + target.getFileName(), OutFiles.NAME_MAX - 24);
    return Files.createTempFile(target.getParent(), prefix, ".tmp",
        PosixFilePermissions.asFileAttribute(OwnerOnly.FILE));
  }

  @Override
  public String toString() {
    return root;
  }
}
