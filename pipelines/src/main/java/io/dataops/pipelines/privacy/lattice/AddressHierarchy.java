package io.dataops.pipelines.privacy.lattice;

import io.dataops.pipelines.desensitize.AddressParts;
import io.dataops.pipelines.desensitize.Mask.AddressLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses cut to coarser administrative prefixes: street → district → city → province → *, from the level the
 * policy leaves them at. An address whose level is not recognised becomes {@code *} above level 0.
 */
public record AddressHierarchy(List<AddressLevel> levels) implements Hierarchy {
  public AddressHierarchy {
    levels = List.copyOf(levels);
  }

  /** From addresses at {@code level} (a mask or generalization) up. */
  public static AddressHierarchy from(AddressLevel level) {
    List<AddressLevel> l = new ArrayList<>();
    for (int i = level.ordinal(); i >= 0; i--) {
      l.add(AddressLevel.values()[i]);
    }
    return new AddressHierarchy(l);
  }

  @Override
  public int height() {
    return levels.size() + 1;
  }

  @Override
  public String coarser(String value, int level) {
    int end = AddressParts.endOf(value, levels.get(level));
    return end <= 0 ? TOP : value.substring(0, Math.min(end, value.length()));
  }

  @Override
  public String levelName(int level) {
    return level >= height() - 1 ? TOP : levels.get(level).spelling();
  }
}
