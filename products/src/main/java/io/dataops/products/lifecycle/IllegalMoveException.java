package io.dataops.products.lifecycle;

import io.dataops.core.StateRefusedException;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionState;
import java.util.List;
import java.util.stream.Collectors;

/** A move the version's state does not allow (bad input: nothing changed). Says which states allow it. */
public final class IllegalMoveException extends StateRefusedException {
  public IllegalMoveException(Move move, ProductVersion v) {
    super(v.label() + " is " + v.state().label() + ": " + move.command() + " needs a version that is "
        + move.from().stream().map(VersionState::label).collect(Collectors.joining(" or ")) + hint(v),
        List.of("product:" + v.product() + "@" + v.version()));
  }

  private static String hint(ProductVersion v) {
    return switch (v.state()) {
      case DRAFT -> " (submit it first: dataops product submit " + v.product() + " " + v.version() + ")";
      case SUBMITTED -> " (it waits for the authority's approval)";
      case DESTROYING -> " (its destruction is under way: run dataops product destroy " + v.product() + " "
          + v.version() + " again to complete it)";
      case DESTROYED -> " (it was destroyed; its certificate is under certificates/)";
      default -> "";
    };
  }
}
