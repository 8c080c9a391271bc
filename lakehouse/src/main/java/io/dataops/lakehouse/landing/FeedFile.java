package io.dataops.lakehouse.landing;

import io.dataops.core.BadInputException;
import io.dataops.core.text.VisibleText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * A feed's bytes as the readers take them: an Iceberg {@link InputFile}, so a local file and an object in a bucket
 * ({@code s3://}, read through the lakehouse's FileIO) land alike. {@code name} is what lineage and messages call it
 * (the file or object name, never a folder).
 */
public record FeedFile(String name, InputFile input) {

  public static FeedFile local(Path file) {
    Path abs = file.toAbsolutePath();
    return new FeedFile(abs.getFileName().toString(), org.apache.iceberg.Files.localInput(abs.toFile()));
  }

  /** Where it is, as its InputFile names it. */
  public String location() {
    return input.location();
  }

  /** Its size in bytes, refused in one line when it cannot be read. */
  public long length() {
    try {
      return input.getLength();
    } catch (NotFoundException | org.apache.iceberg.exceptions.RuntimeIOException e) {
      throw new BadInputException("no readable file at " + VisibleText.value(location()));
    }
  }

  public SeekableInputStream open() throws IOException {
    try {
      return input.newStream();
    } catch (NotFoundException e) {
      throw new BadInputException("no readable file at " + VisibleText.value(location()));
    }
  }

  /** The same stream for a reader that takes a plain stream. */
  public InputStream openStream() throws IOException {
    return open();
  }
}
