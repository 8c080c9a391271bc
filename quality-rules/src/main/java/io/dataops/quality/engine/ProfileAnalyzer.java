package io.dataops.quality.engine;

import io.dataops.lakehouse.identifiers.PrcIdentifiers;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

/**
 * A column profile for rule suggestion: approximate distinct count (HyperLogLog, Apache DataSketches), text
 * lengths, and how many text values have the shape of a PRC identifier.
 */
public record ProfileAnalyzer(String column) implements ColumnAnalyzer<ProfileAnalyzer.State> {
  static final int LG_K = 12;

  public static final class State implements AnalyzerState<State> {
    public HllSketch distinct = new HllSketch(LG_K);
    public long values;
    public int minLength = Integer.MAX_VALUE;
    public int maxLength = -1;
    public long idCards;
    public long mobiles;
    public long creditCodes;
    final KeyBuffer key = new KeyBuffer();

    @Override
    public State merge(State o) {
      Union u = new Union(LG_K);
      u.update(distinct);
      u.update(o.distinct);
      distinct = u.getResult();
      values += o.values;
      minLength = Math.min(minLength, o.minLength);
      maxLength = Math.max(maxLength, o.maxLength);
      idCards += o.idCards;
      mobiles += o.mobiles;
      creditCodes += o.creditCodes;
      return this;
    }

    public double approxDistinct() {
      return distinct.getEstimate();
    }
  }

  @Override
  public String key() {
    return "Profile(" + column + ")";
  }

  @Override
  public State newState(ScanContext context) {
    return new State();
  }

  @Override
  public void add(State state, ColumnView c, int row) {
    state.values++;
    state.key.clear();
    c.appendKey(row, state.key);
    state.distinct.update(state.key.hash());
    if (c.kind() == ColumnView.Kind.STRING) {
      String s = c.getString(row);
      int len = s.codePointCount(0, s.length());
      state.minLength = Math.min(state.minLength, len);
      state.maxLength = Math.max(state.maxLength, len);
      if (len == 18) {
        if (PrcIdentifiers.hasValidIdCardCheckChar(s)) {
          state.idCards++;
        } else if (PrcIdentifiers.hasValidCreditCodeCheckChar(s)) {
          state.creditCodes++;
        }
      } else if (len == 11 && PrcIdentifiers.isMainlandMobile(s)) {
        state.mobiles++;
      }
    }
  }
}
