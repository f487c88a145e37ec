package io.evpnkit.examples;

import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateOutcome;
import io.evpnkit.testkit.Differential;
import io.evpnkit.testkit.EvpnUpdateGenerator;
import io.evpnkit.testkit.ParserContract;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Optional;

/**
 * How to test your own parser with testkit: a small, deliberately fragile EVPN parser that counts
 * the MAC/IP routes an UPDATE announces, the way many first versions are written, and the two
 * checks that find its bugs.
 *
 * <ul>
 *   <li>{@link ParserContract}: it trusts every length, so a lying length or a cut message makes it
 *       read past the buffer ({@code IndexOutOfBoundsException}, not a parse error).
 *   <li>{@link Differential} against evpnkit: it forgets ADD-PATH path identifiers, so on an
 *       ADD-PATH session it reads the identifier's octets as a route type and length and counts
 *       wrong, without any exception.
 * </ul>
 *
 * Run: {@code java -cp examples/target/evpnkit.jar io.evpnkit.examples.FragileParserExample
 * [seed]}. Every finding prints the input's case id; {@code EvpnUpdateGenerator.replay(id)}
 * rebuilds that input alone.
 */
public final class FragileParserExample {
  private FragileParserExample() {}

  /** The fragile parser: counts type 2 NLRI in MP_REACH_NLRI, trusting every length it reads. */
  static int countMacRoutes(ByteBuf update) {
    int at = update.readerIndex() + 19;
    at += 2 + update.getUnsignedShort(at); // withdrawn routes
    int end = at + 2 + update.getUnsignedShort(at);
    at += 2;
    int count = 0;
    while (at < end) {
      int flags = update.getUnsignedByte(at);
      int type = update.getUnsignedByte(at + 1);
      boolean extended = (flags & 0x10) != 0;
      int length = extended ? update.getUnsignedShort(at + 2) : update.getUnsignedByte(at + 2);
      int value = at + (extended ? 4 : 3);
      if (type == 14) {
        for (int n = value + 5 + update.getUnsignedByte(value + 3); n < value + length; ) {
          if (update.getUnsignedByte(n) == 2) {
            count++;
          }
          n += 2 + update.getUnsignedByte(n + 1);
        }
      }
      at = value + length;
    }
    return count;
  }

  /** The same count by evpnkit, for the differential check (-1 when the UPDATE is rejected). */
  static int evpnkitCount(byte[] update, SessionOptions options) {
    UpdateDecoder d = new UpdateDecoder(options);
    if (d.decode(Unpooled.wrappedBuffer(update)) != UpdateOutcome.OK) {
      return -1;
    }
    int[] count = {0};
    d.forEachRoute(
        (withdraw, pathId, nlri) -> count[0] += !withdraw && nlri.routeTypeCode() == 2 ? 1 : 0);
    return count[0];
  }

  /** Runs both checks and prints what they find; exits 1 when they find something (they do). */
  public static void main(String[] args) {
    long seed = args.length > 0 ? Long.parseUnsignedLong(args[0], 16) : 0xE7A9;
    System.out.printf("checking the fragile parser with testkit, seed %x%n%n", seed);
    ParserContract.Report report =
        ParserContract.of(FragileParserExample::countMacRoutes)
            .check(ParserContract.evpnUpdates(seed, 200));
    System.out.printf(
        "ParserContract: %d inputs, %d violations%n", report.inputs(), report.violations().size());
    report.violations().stream().limit(3).forEach(v -> System.out.println("  " + v));
    // Differential on well-formed UPDATEs of iBGP sessions with 4-octet AS numbers and ADD-PATH.
    SessionOptions addPath = SessionOptions.IBGP.withAddPath(true);
    Optional<Differential.Disagreement> d =
        Differential.compare(
            bytes -> countMacRoutes(Unpooled.wrappedBuffer(bytes)),
            bytes -> evpnkitCount(bytes, addPath),
            Integer::equals,
            new EvpnUpdateGenerator(seed)
                .stream(400)
                    .filter(u -> u.options().addPath() && u.options().fourOctetAs())
                    .map(u -> new ParserContract.Input(u.toString(), u.bytes())));
    System.out.println();
    System.out.println(
        d.map(x -> "Differential against evpnkit: " + x).orElse("Differential: no disagreement"));
    System.exit(report.violations().isEmpty() && d.isEmpty() ? 0 : 1);
  }
}
