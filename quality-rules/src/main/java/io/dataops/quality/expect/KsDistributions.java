package io.dataops.quality.expect;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.ExponentialDistribution;
import org.apache.commons.statistics.distribution.GammaDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.UniformContinuousDistribution;

/**
 * GX 0.18's distribution parameters (dataset/util.py: validate_distribution_parameters and
 * _scipy_distribution_positional_args_from_dict) and scipy's CDFs for them, from Apache Commons Statistics: scipy's
 * positional arguments are the shape parameters, then {@code loc} and {@code scale}, and the CDF is the standard
 * one at (x - loc) / scale. As in GX, a dict's uniform {@code min} and {@code max} become scipy's loc and scale (the
 * uniform on [min, min + max]).
 */
final class KsDistributions {
  private KsDistributions() {}

  private static final Set<String> KNOWN = Set.of("norm", "beta", "gamma", "poisson", "uniform", "chi2", "expon");
  private static final String BETA = "beta distributions require 2 positive parameters 'alpha', 'beta' and "
      + "optionally 'loc', 'scale'.";
  private static final String GAMMA = "gamma distributions require 1 positive parameter 'alpha' and optionally "
      + "'loc','scale'.";
  private static final String CHI2 = "chi2 distributions require 1 positive parameter 'df' and optionally 'loc', "
      + "'scale'.";

  /** scipy's positional arguments, after GX's checks (each raises as GX does). */
  static double[] positional(Args a, String distribution, Object params) {
    if (!KNOWN.contains(distribution)) {
      throw a.error("distribution", "Unsupported  distribution provided: " + distribution);
    }
    if (distribution.equals("poisson")) {
      throw a.error("distribution", "poisson: GX gives scipy no parameters for it (its mapping has no poisson)");
    }
    if (params instanceof Map<?, ?> m) {
      if (num(a, m, "std_dev", 1) <= 0 || num(a, m, "scale", 1) <= 0) {
        throw a.error("params", "std_dev and scale must be positive.");
      }
      if (distribution.equals("beta") && (num(a, m, "alpha", -1) <= 0 || num(a, m, "beta", -1) <= 0)) {
        throw a.error("params", "Invalid parameters: " + BETA);
      } else if (distribution.equals("gamma") && num(a, m, "alpha", -1) <= 0) {
        throw a.error("params", "Invalid parameters: " + GAMMA);
      } else if (distribution.equals("chi2") && num(a, m, "df", -1) <= 0) {
        throw a.error("params", "Invalid parameters: " + CHI2 + ":");
      }
      double loc = num(a, m, "loc", 0);
      double scale = num(a, m, "scale", 1);
      return switch (distribution) {
        case "norm" -> new double[] {required(a, m, "mean"), required(a, m, "std_dev")};
        case "beta" -> new double[] {required(a, m, "alpha"), required(a, m, "beta"), loc, scale};
        case "gamma" -> new double[] {required(a, m, "alpha"), loc, scale};
        case "uniform" -> new double[] {required(a, m, "min"), required(a, m, "max")};
        case "chi2" -> new double[] {required(a, m, "df"), loc, scale};
        default -> new double[] {loc, scale};
      };
    }
    if (!(params instanceof List<?> list)) {
      throw a.error("params", "params must be a dict or list, or use "
          + "great_expectations.dataset.util.infer_distribution_parameters(data, distribution)");
    }
    double[] p = new double[list.size()];
    for (int i = 0; i < p.length; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw a.error("params", "params must list numbers");
      }
      p[i] = n.doubleValue();
    }
    Double scale = null;
    switch (distribution) {
      case "beta" -> {
        if (p.length < 2) {
          throw a.error("params", "Missing required parameters: " + BETA);
        }
        if (p[0] <= 0 || p[1] <= 0) {
          throw a.error("params", "Invalid parameters: " + BETA);
        }
        if (p.length == 4) {
          scale = p[3];
        } else if (p.length > 4) {
          throw a.error("params", "Too many parameters provided: " + BETA);
        }
      }
      case "norm" -> {
        if (p.length > 2) {
          throw a.error("params", "Too many parameters provided: norm distributions require 0 parameters and "
              + "optionally 'mean', 'std_dev'.");
        }
        scale = p.length == 2 ? p[1] : null;
      }
      case "gamma" -> {
        if (p.length < 1) {
          throw a.error("params", "Missing required parameters: " + GAMMA);
        }
        scale = p.length == 3 ? p[2] : null;
        if (p.length > 3) {
          throw a.error("params", "Too many parameters provided: " + GAMMA);
        } else if (p[0] <= 0) {
          throw a.error("params", "Invalid parameters: " + GAMMA);
        }
      }
      case "chi2" -> {
        if (p.length < 1) {
          throw a.error("params", "Missing required parameters: " + CHI2);
        } else if (p.length == 3) {
          scale = p[2];
        } else if (p.length > 3) {
          throw a.error("params", "Too many arguments provided: " + CHI2);
        }
        if (p[0] <= 0) {
          throw a.error("params", "Invalid parameters: " + CHI2);
        }
      }
      default -> { // uniform, expon: optional loc and scale
        scale = p.length == 2 ? p[1] : null;
        if (p.length > 2) {
          throw a.error("params", "Too many arguments provided: " + distribution + " distributions require 0 "
              + "parameters and optionally 'loc', 'scale'.");
        }
      }
    }
    if (scale != null && scale <= 0) {
      throw a.error("params", "std_dev and scale must be positive.");
    }
    return p;
  }

  /** scipy's {@code distribution.cdf(x, *args)}. */
  static DoubleUnaryOperator cdf(String distribution, double[] args) {
    int shapes = switch (distribution) {
      case "beta" -> 2;
      case "gamma", "chi2" -> 1;
      default -> 0;
    };
    ContinuousDistribution standard = switch (distribution) {
      case "norm" -> NormalDistribution.of(0, 1);
      case "beta" -> BetaDistribution.of(args[0], args[1]);
      case "gamma" -> GammaDistribution.of(args[0], 1);
      case "chi2" -> ChiSquaredDistribution.of(args[0]);
      case "expon" -> ExponentialDistribution.of(1);
      default -> UniformContinuousDistribution.of(0, 1);
    };
    double loc = args.length > shapes ? args[shapes] : 0;
    double scale = args.length > shapes + 1 ? args[shapes + 1] : 1;
    return x -> standard.cumulativeProbability((x - loc) / scale);
  }

  private static double num(Args a, Map<?, ?> m, String key, double fallback) {
    Object v = m.get(key);
    if (v == null && !m.containsKey(key)) {
      return fallback;
    }
    if (!(v instanceof Number n)) {
      throw a.error("params", "params '" + key + "' must be a number");
    }
    return n.doubleValue();
  }

  private static double required(Args a, Map<?, ?> m, String key) {
    if (!m.containsKey(key)) {
      throw a.error("params", "KeyError: '" + key + "'");
    }
    return num(a, m, key, 0);
  }
}
