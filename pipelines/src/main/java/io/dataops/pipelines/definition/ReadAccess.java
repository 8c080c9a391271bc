package io.dataops.pipelines.definition;

import io.dataops.pipelines.plan.ReadGrant;
import java.util.List;

/**
 * Whether the caller may read the rows a validation is about to read, asked once, before the first row is read: the
 * detector of undeclared personal data samples the inputs' text columns, and the measure of undeclared
 * quasi-identifiers runs the transform over the pinned inputs; an operator whose grant does not cover them must not
 * get that far (a detection's share of phone-like values, a transform that fails on some value, or a measure's group
 * sizes would tell what the rows hold). The rows are then read as a run reads them, under the grant's row filter.
 */
@FunctionalInterface
public interface ReadAccess {
  /** Reads for the platform's own checks and tests: no grant restricts them. */
  ReadAccess UNGOVERNED = (d, inputs) -> null;

  /**
   * The grants covering the reads of {@code inputs} ({@code null}: ungoverned); a refusal is thrown (and audited by
   * the implementation) as a {@link io.dataops.core.BadInputException}.
   */
  List<ReadGrant> authorize(PipelineDefinition definition, List<BoundPipeline.BoundInput> inputs);
}
