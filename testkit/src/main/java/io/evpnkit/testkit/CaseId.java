package io.evpnkit.testkit;

/** The case ids the generators print, {@code <hex seed>/<size>}: one reader for all of them. */
record CaseId(long seed, int size) {
  /**
   * Reads an id.
   *
   * @throws IllegalArgumentException if it is not {@code <hex seed>/<size>}
   */
  static CaseId parse(String id) {
    int slash = id.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("case id \"" + id + "\": must be <hex seed>/<size>");
    }
    return new CaseId(
        Long.parseUnsignedLong(id.substring(0, slash), 16),
        Integer.parseInt(id.substring(slash + 1)));
  }
}
