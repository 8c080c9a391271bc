package io.dataops.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.SourceLineException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LinedYamlTest {
  @TempDir Path dir;

  private static String read(Path file) {
    return LinedYaml.readUtf8(file, "application", (line, problem) -> new SourceLineException(file.toString(), line,
        problem));
  }

  @Test
  void aUsersFileIsReadAsUtf8Text() throws Exception {
    Path file = Files.writeString(dir.resolve("a.yaml"), "scenario: 社区服务\n", StandardCharsets.UTF_8);
    assertThat(read(file)).isEqualTo("scenario: 社区服务\n");
    Path gbk = Files.write(dir.resolve("gbk.yaml"), "scenario: 社区服务\n".getBytes("GBK"));
    assertThatThrownBy(() -> read(gbk)).isInstanceOf(SourceLineException.class)
        .hasMessage(gbk + ": an application file must be UTF-8 text");
  }

  /** Found by a probe: {@code grant apply /dev/zero} ended in an out-of-memory trace, a named pipe hung forever. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void onlyARegularFileOfBoundedSizeIsRead() throws Exception {
    Path pipe = dir.resolve("pipe");
    assertThat(new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor()).isZero();
    String notAFile = "not a file (a folder, a device or a pipe): an application file is a regular file";
    assertThatThrownBy(() -> read(pipe)).hasMessage(pipe + ": " + notAFile);
    assertThatThrownBy(() -> read(Path.of("/dev/zero"))).hasMessage("/dev/zero: " + notAFile);
    assertThatThrownBy(() -> read(dir)).hasMessage(dir + ": " + notAFile);

    Path large = dir.resolve("large.yaml");
    try (var out = Files.newOutputStream(large)) {
      byte[] line = "- x\n".repeat(1024).getBytes(StandardCharsets.US_ASCII);
      for (long written = 0; written <= LinedYaml.MAX_BYTES; written += line.length) {
        out.write(line);
      }
    }
    assertThatThrownBy(() -> read(large)).hasMessage(large + ": an application file holds at most 8 MB; this one is"
        + " larger");
    Path missing = dir.resolve("missing.yaml");
    assertThatThrownBy(() -> read(missing)).hasMessage(missing + ": cannot read the application file"
        + " (NoSuchFileException)");
  }

  @Test
  void aFileUpToTheSizeReadIsComposed() throws Exception {
    // Found by a probe: SnakeYAML's own limit of 3 MiB code points refused a 4.9 MB suite as "not valid YAML".
    String big = "codes: \"" + "1".repeat(6 << 20) + "\"\n";
    Path file = Files.writeString(dir.resolve("big.yaml"), big);
    LinedYaml nodes = new LinedYaml((line, problem) -> new SourceLineException("big.yaml", line, problem));
    var root = (org.yaml.snakeyaml.nodes.MappingNode) nodes.compose(read(file), "YAML");
    assertThat(nodes.scalar(root.getValue().get(0).getValueNode(), "codes")).hasSize(6 << 20);
  }

  /** Found by a probe: an alias bomb or a deep nesting was refused naming the file, not the line. */
  @Test
  void theComposersLimitsNameTheLine() {
    LinedYaml nodes = new LinedYaml((line, problem) -> new SourceLineException("suite.yaml", line, problem));
    // the 51st alias of a collection is the second of b26, on line 28
    StringBuilder bomb = new StringBuilder("name: bomb\na: &a [x, x]\n");
    for (int i = 1; i <= 60; i++) {
      bomb.append("b").append(i).append(": [*a, *a]\n");
    }
    assertThatThrownBy(() -> nodes.compose(bomb.toString(), "YAML")).isInstanceOf(SourceLineException.class)
        .hasMessage("suite.yaml:28: not valid YAML: Number of aliases for non-scalar nodes exceeds the specified"
            + " max=50");
    String deep = "name: deep\nexpectations:\n  - kwargs:\n      v: " + "[".repeat(60) + "1" + "]".repeat(60) + "\n";
    assertThatThrownBy(() -> nodes.compose(deep, "YAML")).isInstanceOf(SourceLineException.class)
        .hasMessageStartingWith("suite.yaml:4: not valid YAML: Nesting Depth exceeded max 50");
  }
}
