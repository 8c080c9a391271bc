package io.dataops.pipelines.definition;

import io.dataops.pipelines.definition.PipelineDefinition.PolicySpec;
import io.dataops.pipelines.desensitize.ColumnPolicy;
import io.dataops.pipelines.desensitize.FormatPreservingEncryption;
import io.dataops.pipelines.desensitize.GeneralizeAddress;
import io.dataops.pipelines.desensitize.GeneralizeDate;
import io.dataops.pipelines.desensitize.GeneralizeNumber;
import io.dataops.pipelines.desensitize.GeneralizeRegion;
import io.dataops.pipelines.desensitize.GeneralizeText;
import io.dataops.pipelines.desensitize.Keep;
import io.dataops.pipelines.desensitize.KeyRing;
import io.dataops.pipelines.desensitize.Mask;
import io.dataops.pipelines.desensitize.PolicyException;
import io.dataops.pipelines.desensitize.Pseudonymize;
import io.dataops.pipelines.desensitize.Remove;
import io.dataops.pipelines.desensitize.Suppress;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the operator of a written policy; every problem becomes a {@link PipelineException} at the policy's line. */
public final class PolicyFactory {
  private PolicyFactory() {}

  /**
   * @param defaultContext the context of a pseudonymization that names none ({@link PseudonymContexts})
   */
  public static ColumnPolicy build(String source, PolicySpec spec, KeyRing keys, LocalDate asOf,
      String defaultContext) {
    try {
      return create(spec, keys, asOf, defaultContext);
    } catch (PolicyException e) {
      throw new PipelineException(source, spec.line(), "column '" + spec.column() + "': " + e.getMessage());
    }
  }

  private static ColumnPolicy create(PolicySpec spec, KeyRing keys, LocalDate asOf, String defaultContext) {
    Map<String, Object> a = spec.args();
    return switch (spec.kind()) {
      case "keep" -> new Keep();
      case "remove" -> new Remove();
      case "suppress" -> new Suppress();
      case "mask" -> {
        Mask m = Mask.of(Mask.Kind.parse(spec.variant()));
        if (m.type() == Mask.Kind.ADDRESS) {
          if (a.containsKey("keepFirst") || a.containsKey("keepLast")) {
            throw new PolicyException("an address mask keeps divisions: use level (province, city, district, street)");
          }
          if (a.containsKey("level")) {
            m = m.withLevel(Mask.AddressLevel.parse(text(a, "level")));
          }
        } else if (a.containsKey("level")) {
          throw new PolicyException("level applies to address masks only");
        }
        if (m.type() == Mask.Kind.NAME || m.type() == Mask.Kind.EMAIL) {
          if (a.containsKey("keepFirst") || a.containsKey("keepLast")) {
            throw new PolicyException("a " + m.type().spelling() + " mask keeps what the convention keeps; use mask: "
                + "custom to choose");
          }
        }
        if (m.type() == Mask.Kind.CUSTOM && !a.containsKey("keepFirst") && !a.containsKey("keepLast")) {
          throw new PolicyException("a custom mask needs keepFirst and/or keepLast");
        }
        Character maskChar = null;
        if (a.containsKey("maskChar")) {
          String c = text(a, "maskChar");
          if (c.codePointCount(0, c.length()) != 1 || c.length() != 1) {
            throw new PolicyException("maskChar must be one character");
          }
          maskChar = c.charAt(0);
        }
        yield m.withKeep(integer(a, "keepFirst"), integer(a, "keepLast"), maskChar);
      }
      case "pseudonymize" -> {
        Integer length = integer(a, "length");
        yield new Pseudonymize(Pseudonymize.Algorithm.parse(spec.variant()), keyId(a), keys,
            a.containsKey("context") ? text(a, "context") : defaultContext, length == null ? Pseudonymize.FULL_LENGTH : length);
      }
      case "encrypt" -> {
        FormatPreservingEncryption.Mode mode = FormatPreservingEncryption.Mode.parse(spec.variant());
        if (!a.containsKey("shape")) {
          throw new PolicyException("encrypt needs the value's shape: id_card, mobile, digits or alphanumeric");
        }
        if (a.containsKey("tweak") && a.containsKey("tweakHex")) {
          throw new PolicyException("give tweak or tweakHex, not both");
        }
        byte[] tweak;
        if (a.containsKey("tweakHex")) {
          try {
            tweak = HexFormat.of().parseHex(text(a, "tweakHex"));
          } catch (IllegalArgumentException e) {
            throw new PolicyException("tweakHex must be hexadecimal digits");
          }
        } else {
          tweak = FormatPreservingEncryption.tweakOf(mode, a.containsKey("tweak") ? text(a, "tweak") : "");
        }
        Integer keepFirst = integer(a, "keepFirst");
        yield new FormatPreservingEncryption(mode,
            a.containsKey("cipher") ? FormatPreservingEncryption.Cipher.parse(text(a, "cipher"))
                : FormatPreservingEncryption.Cipher.AES,
            FormatPreservingEncryption.Shape.parse(text(a, "shape")), keyId(a), keys,
            keepFirst == null ? 0 : keepFirst, tweak);
      }
      case "generalize" -> generalize(spec.variant(), a, asOf);
      default -> throw new PolicyException("unknown policy '" + spec.kind() + "'");
    };
  }

  private static ColumnPolicy generalize(String variant, Map<String, Object> a, LocalDate asOf) {
    switch (variant) {
      case "year", "month", "age_band" -> {
        only(a, variant, variant.equals("age_band") ? List.of("width") : List.of());
        Integer width = integer(a, "width");
        return new GeneralizeDate(GeneralizeDate.Unit.parse(variant), width == null ? 10 : width, asOf);
      }
      case "buckets" -> {
        only(a, variant, List.of("width", "boundaries"));
        BigDecimal width = a.containsKey("width") ? decimal(a.get("width"), "width") : null;
        List<BigDecimal> bounds = null;
        if (a.containsKey("boundaries")) {
          if (!(a.get("boundaries") instanceof List<?> list)) {
            throw new PolicyException("boundaries must be a list of numbers");
          }
          bounds = new ArrayList<>();
          for (Object o : list) {
            bounds.add(decimal(o, "boundaries"));
          }
        }
        return new GeneralizeNumber(width, bounds);
      }
      case "region" -> {
        only(a, variant, List.of("level"));
        return new GeneralizeRegion(GeneralizeRegion.Level.parse(required(a, "level")));
      }
      case "address" -> {
        only(a, variant, List.of("level"));
        return new GeneralizeAddress(Mask.AddressLevel.parse(required(a, "level")));
      }
      case "categories" -> {
        only(a, variant, List.of("categories", "otherwise"));
        if (!(a.get("categories") instanceof Map<?, ?> m)) {
          throw new PolicyException("categories maps each category to its keywords: {餐饮: [餐, 饭]}");
        }
        Map<String, List<String>> categories = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          List<String> words = new ArrayList<>();
          if (e.getValue() instanceof List<?> l) {
            l.forEach(x -> words.add(String.valueOf(x)));
          } else {
            words.add(String.valueOf(e.getValue()));
          }
          categories.put(String.valueOf(e.getKey()), words);
        }
        return new GeneralizeText(categories, a.containsKey("otherwise") ? text(a, "otherwise") : null);
      }
      default -> throw new PolicyException("unknown generalization '" + variant
          + "' (expected year, month, age_band, buckets, region, address or categories)");
    }
  }

  private static void only(Map<String, Object> a, String variant, List<String> allowed) {
    for (String k : a.keySet()) {
      if (!allowed.contains(k)) {
        throw new PolicyException("generalize " + variant + " has no option '" + k + "'"
            + (allowed.isEmpty() ? "" : " (known: " + String.join(", ", allowed) + ")"));
      }
    }
  }

  private static String keyId(Map<String, Object> a) {
    if (!a.containsKey("key")) {
      throw new PolicyException("name the key from configuration (key: default); keys never go in pipeline files");
    }
    return text(a, "key");
  }

  private static String required(Map<String, Object> a, String key) {
    if (!a.containsKey(key)) {
      throw new PolicyException("missing '" + key + "'");
    }
    return text(a, key);
  }

  private static String text(Map<String, Object> a, String key) {
    Object v = a.get(key);
    if (!(v instanceof String s)) {
      throw new PolicyException("'" + key + "' must be a single value");
    }
    return s;
  }

  private static Integer integer(Map<String, Object> a, String key) {
    if (!a.containsKey(key)) {
      return null;
    }
    String v = text(a, key);
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new PolicyException("'" + key + "' must be a whole number, not '" + v + "'");
    }
  }

  private static BigDecimal decimal(Object v, String what) {
    try {
      return new BigDecimal(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new PolicyException("'" + what + "' must be numbers");
    }
  }
}
