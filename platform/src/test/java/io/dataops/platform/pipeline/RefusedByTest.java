package io.dataops.platform.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.BadInputException;
import io.dataops.core.StateRefusedException;
import io.dataops.governance.grant.GrantRefusedException;
import io.dataops.pipelines.privacy.LeakDetectedException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a refused run's event says refused it: supervision's refusal-burst rule counts refusals of access (role,
 * organization, grant) and failed leak checks, not a pipeline its input or an object's state refused.
 */
class RefusedByTest {
  @Test
  void accessAndLeaksAreLeftUnmarkedInputAndStateAreNamed() {
    assertThat(PipelineRuns.refusedBy(new AccessDeniedException("requires role operator", List.of("operator")))).isEmpty();
    assertThat(PipelineRuns.refusedBy(new GrantRefusedException("no grant for scenario 's'",
        GrantRefusedException.Reason.NO_GRANT, null, null, null))).isEmpty();
    assertThat(PipelineRuns.refusedBy(new LeakDetectedException("a product value equals a raw value"))).isEmpty();
    assertThat(PipelineRuns.refusedBy(new StateRefusedException("is sealed", List.of("product:p@1"))))
        .contains("state");
    assertThat(PipelineRuns.refusedBy(new BadInputException("this run is already going on in process 7")))
        .contains("input");
  }
}
