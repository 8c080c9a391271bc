package io.dataops.pipelines.privacy.lattice;

/** A quasi-identifier that is either kept as it is or hidden whole: the value, then {@code *}. */
public record TopHierarchy() implements Hierarchy {
  @Override
  public int height() {
    return 2;
  }

  @Override
  public String coarser(String value, int level) {
    return TOP;
  }

  @Override
  public String describe() {
    return "value, *";
  }

  @Override
  public String levelName(int level) {
    return level == 0 ? "value" : TOP;
  }
}
