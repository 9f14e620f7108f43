package io.destkit.core.naming;

import io.destkit.core.ConfigErrorException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Maps raw source names of one scope (the columns of one table) to unique
 * identifiers, deterministically. Names are sanitized with {@link IdentifierRules#sanitize}; a name that
 * collides case-insensitively with an earlier one (or a taken identifier) gets the smallest free suffix
 * {@code _1}, {@code _2}, ..., truncating the base so the result stays within the byte limit.
 *
 * <p>In the {@link IdentifierRules.Style#AIRBYTE} style, as Airbyte's destinations resolve it: the
 * candidates are the sanitized {@code raw + "_1"}, {@code raw + "_2"}, ... (a long name's hash
 * changes with the counter, so the cut never eats it but through a hash collision, which is a
 * {@link ConfigErrorException} naming the field).
 */
public final class NameResolver {
  private final IdentifierRules rules;

  public NameResolver(IdentifierRules rules) {
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  /**
   * Resolves every name of one scope at once. The result has the same order/size as the input;
   * {@code result.get(i)} is the identifier for {@code raw.get(i)}. Resolved names never equal
   * (case-insensitively) one another nor any of {@code reserved}, the identifiers already taken in this
   * scope (e.g. {@code "_airbyte_raw_id"}). The result depends on input order, so pass names in catalog order.
   *
   * @return an unmodifiable list
   */
  public List<String> resolveAll(List<String> raw, Set<String> reserved) {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(reserved, "reserved");
    Set<String> taken = new HashSet<>();
    for (String r : reserved) {
      taken.add(key(Objects.requireNonNull(r, "reserved identifier")));
    }
    List<String> out = new ArrayList<>(raw.size());
    for (String name : raw) {
      String base = rules.sanitize(Objects.requireNonNull(name, "raw name"));
      if (rules.style() == IdentifierRules.Style.AIRBYTE) {
        String resolved = airbyteResolve(name, base, taken);
        taken.add(key(resolved));
        out.add(resolved);
        continue;
      }
      String candidate = base;
      for (int n = 1; taken.contains(key(candidate)); n++) {
        String suffix = "_" + n;
        int room = Math.max(0, rules.maxLengthBytes() - Utf8.length(suffix));
        candidate = Utf8.truncate(base, room) + suffix;
      }
      taken.add(key(candidate));
      out.add(candidate);
    }
    return List.copyOf(out);
  }

  private String airbyteResolve(String raw, String base, Set<String> taken) {
    if (!taken.contains(key(base))) {
      return base;
    }
    String previous = base;
    for (int n = 1; ; n++) {
      String candidate = rules.sanitize(raw + "_" + n);
      if (key(candidate).equals(key(previous))) {
        // The cut ate the counter (the hash of the cleaned name changes with it, so this needs a
        // hash collision): no candidate is left.
        throw new ConfigErrorException("Cannot find a column name for field '" + raw
            + "' that no other field of the stream takes. Rename or remove the field.");
      }
      if (!taken.contains(key(candidate))) {
        return candidate;
      }
      previous = candidate;
    }
  }

  /** Convenience for one name with no collisions. */
  public String resolve(String raw) {
    return resolveAll(List.of(raw), Set.of()).get(0);
  }

  private static String key(String identifier) {
    return identifier.toLowerCase(Locale.ROOT);
  }
}
