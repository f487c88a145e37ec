package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import java.util.List;

/**
 * A configuration statement outside the hierarchies {@link VtepConfig} interprets ({@code protocols
 * bgp ...}, {@code system ...}; {@link VtepConfig#INTERPRETED} lists the others): kept, rendered
 * back with the model, and reported, so that nothing read vanishes without a word. Equal by path:
 * the place is where it was read, which rendering changes.
 *
 * @since 0.1
 */
@Beta
public final class UninterpretedStatement implements Comparable<UninterpretedStatement> {
  private final List<String> path;
  private final int line;
  private final int column;
  private final int named;

  /**
   * Creates one.
   *
   * @param path the statement's words, hierarchy first ({@code [protocols, bgp, group, fabric,
   *     type, internal]})
   * @param line where it was read (1-based), or 0
   * @param column where it was read (1-based), or 0
   */
  public UninterpretedStatement(List<String> path, int line, int column) {
    this(path, line, column, 4);
  }

  /**
   * Creates one that knows which of its words name what is not interpreted ({@link #hierarchy()}).
   *
   * @param path the statement's words, hierarchy first
   * @param line where it was read (1-based), or 0
   * @param column where it was read (1-based), or 0
   * @param named how many of the first words name it (at least 1; more than the path has means all)
   */
  public UninterpretedStatement(List<String> path, int line, int column, int named) {
    if (path.isEmpty()) {
      throw new IllegalArgumentException("a statement has at least one word");
    }
    if (named < 1) {
      throw new IllegalArgumentException("named must be at least 1: " + named);
    }
    this.path = List.copyOf(path);
    this.line = line;
    this.column = column;
    this.named = Math.min(named, path.size());
  }

  /**
   * Returns the words that name what is not interpreted, as a warning shows it once for all the
   * statements under it: an unmodelled hierarchy with the two words after it ({@code protocols bgp
   * group fabric}, {@code system host-name leaf1}), or a statement kept inside a modelled one up to
   * its keyword ({@code interfaces ae0 unit 0 description}).
   */
  public String hierarchy() {
    return head(named);
  }

  /** Returns the statement's words, hierarchy first. */
  public List<String> path() {
    return path;
  }

  /** Returns the line it was read at (1-based), or 0 for a statement not read from text. */
  public int line() {
    return line;
  }

  /** Returns the column it was read at (1-based), or 0. */
  public int column() {
    return column;
  }

  /** Returns its first {@code n} words (all when it has fewer), as a warning names it. */
  public String head(int n) {
    return String.join(" ", path.subList(0, Math.min(n, path.size())));
  }

  @Override
  public int compareTo(UninterpretedStatement o) {
    for (int i = 0; i < Math.min(path.size(), o.path.size()); i++) {
      int c = path.get(i).compareTo(o.path.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(path.size(), o.path.size());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UninterpretedStatement u && u.path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return String.join(" ", path) + (line > 0 ? " (line " + line + ", column " + column + ")" : "");
  }
}
