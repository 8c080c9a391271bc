package io.dataops.pipelines.plan;

/**
 * The steps of a run and their order, on every engine: prepare; the privacy classes (a first pass over the
 * quasi-identifier columns, when the pipeline declares privacy); the leak filter of raw personal values; the write of
 * the product's files (policies applied, small classes suppressed, each value tested against the filter); the leak
 * check (read-back of what an interrupted attempt wrote, confirmation of candidates); the publish.
 */
public enum RunStep {
  PREPARE("prepare"),
  PRIVACY_CLASSES("privacy-classes"),
  LEAK_FILTER("leak-filter"),
  WRITE("write-product"),
  LEAK_CHECK("leak-check"),
  PUBLISH("publish");

  private final String label;

  RunStep(String label) {
    this.label = label;
  }

  /** The step's name in job repositories and reports. */
  public String label() {
    return label;
  }
}
