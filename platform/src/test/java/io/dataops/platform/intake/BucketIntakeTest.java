package io.dataops.platform.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** What the bucket intake logs of one object's failure, and which failures stop a run instead. */
class BucketIntakeTest {
  @Test
  void aFailureIsLoggedWithItsClassesAndStackButNoMessage() {
    RuntimeException failure = new IllegalStateException("cannot read row 3: 110101199003077774",
        new NumberFormatException("For input string: \"13800138000\""));
    StringWriter logged = new StringWriter();
    BucketIntake.withoutMessages(failure, 0).printStackTrace(new PrintWriter(logged));
    assertThat(logged.toString()).contains("java.lang.IllegalStateException", "java.lang.NumberFormatException",
        "at io.dataops.platform.intake.BucketIntakeTest.aFailureIsLoggedWithItsClassesAndStackButNoMessage")
        .doesNotContain("110101199003077774", "13800138000");
  }

  @Test
  void theSurroundingsFailuresStopTheRunAndAReadersFaultDoesNot() {
    assertThat(BucketIntake.surroundings(new IllegalStateException("x", new UncheckedIOException(
        new java.io.IOException("connection reset"))))).isTrue();
    assertThat(BucketIntake.surroundings(software.amazon.awssdk.core.exception.SdkClientException.create("x")))
        .isTrue();
    assertThat(BucketIntake.surroundings(new java.sql.SQLException("x", "08001"))).isTrue();
    assertThat(BucketIntake.surroundings(new NegativeArraySizeException("-1"))).isFalse();
    assertThat(BucketIntake.surroundings(new IllegalArgumentException("Cannot use uint64"))).isFalse();
  }
}
