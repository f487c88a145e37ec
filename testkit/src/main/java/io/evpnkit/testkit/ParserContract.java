package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Checks a parser (yours or ours) against the contract every wire-format parser owes its caller,
 * over many inputs: valid and broken EVPN UPDATEs and VXLAN frames from testkit's generators and
 * mutators, or inputs you give. For each input the parser gets a pooled direct {@link ByteBuf}
 * holding it (the caller's: the parser must neither release it nor keep a reference count on it),
 * twice (the first call pays for class loading; the second is measured), and may
 *
 * <ul>
 *   <li>return anything (a {@link io.netty.util.ReferenceCounted} result is released after the
 *       checks), or
 *   <li>throw one of the declared exception types;
 * </ul>
 *
 * it must not throw anything else, take longer than the time bound, allocate more than the
 * allocation bound ({@code perInputByte * input length + constant} bytes, measured on the parsing
 * thread with HotSpot's per-thread allocation counter), or change the buffer's reference count.
 * Every violation is reported with the input's description and bytes in hex; {@link
 * Report#assertClean()} fails a test with the first ones.
 *
 * <pre>{@code
 * ParserContract.Report r = ParserContract.of(buf -> MyBgp.parseUpdate(buf))
 *     .declared(MyBgpException.class)
 *     .maxMillis(50).maxAllocation(64, 4096)
 *     .check(ParserContract.evpnUpdates(seed, 500));
 * r.assertClean();
 * }</pre>
 *
 * @since 0.1
 */
@Beta
public final class ParserContract {
  /**
   * One input: what it is (for the report, e.g. a case id and mutation) and its bytes. Immutable.
   */
  public static final class Input {
    private final String description;
    private final byte[] bytes;

    /** Creates an input (the bytes are copied). */
    public Input(String description, byte[] bytes) {
      this.description = description;
      this.bytes = bytes.clone();
    }

    /** Returns what the input is. */
    public String description() {
      return description;
    }

    /** Returns a copy of the bytes. */
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return description + " " + Hex.encode(bytes);
    }
  }

  /** What went wrong with one input. */
  public enum Kind {
    /** An exception of a type that was not declared. */
    UNDECLARED_EXCEPTION,
    /** The parser did not return within the time bound. */
    TOO_SLOW,
    /** The parser allocated more than the bound. */
    TOO_MUCH_ALLOCATION,
    /** The parser released the caller's buffer, or retained it without releasing. */
    REFERENCE_COUNT
  }

  /**
   * One violation.
   *
   * @param kind what went wrong
   * @param input the input's description
   * @param hex the input in hex
   * @param detail the exception, time or allocation
   */
  public record Violation(Kind kind, String input, String hex, String detail) {
    @Override
    public String toString() {
      return kind + " on " + input + ": " + detail + "\n  input: " + hex;
    }
  }

  /**
   * The result of a check.
   *
   * @param inputs how many inputs ran
   * @param violations what went wrong (empty when the parser kept the contract)
   */
  public record Report(int inputs, List<Violation> violations) {
    /** Copies the list. */
    public Report {
      violations = List.copyOf(violations);
    }

    /**
     * Throws an {@link AssertionError} listing the first five violations, if there are any.
     *
     * @throws AssertionError if the parser broke the contract
     */
    public void assertClean() {
      if (!violations.isEmpty()) {
        StringBuilder sb =
            new StringBuilder(violations.size() + " violations over " + inputs + " inputs:");
        violations.stream().limit(5).forEach(v -> sb.append('\n').append(v));
        throw new AssertionError(sb.toString());
      }
    }
  }

  private final Function<ByteBuf, ?> parser;
  private Set<Class<? extends Throwable>> declared = Set.of();
  private long maxNanos = TimeUnit.SECONDS.toNanos(1);
  private long perInputByte = 1024;
  private long constant = 1 << 20;

  private ParserContract(Function<ByteBuf, ?> parser) {
    this.parser = parser;
  }

  /** Starts a check of {@code parser}. */
  public static ParserContract of(Function<ByteBuf, ?> parser) {
    return new ParserContract(Objects.requireNonNull(parser));
  }

  /** Sets the exception types the parser may throw (subclasses included). */
  @SafeVarargs
  public final ParserContract declared(Class<? extends Throwable>... types) {
    Set<Class<? extends Throwable>> set = new java.util.HashSet<>();
    for (Class<? extends Throwable> t : types) {
      set.add(t);
    }
    this.declared = Set.copyOf(set);
    return this;
  }

  /** Sets the time bound per input (default one second). */
  public ParserContract maxMillis(long millis) {
    this.maxNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    return this;
  }

  /**
   * Sets the allocation bound per input: {@code perInputByte * length + constant} (default 1024 and
   * 1 MiB).
   */
  public ParserContract maxAllocation(long perInputByte, long constant) {
    this.perInputByte = perInputByte;
    this.constant = constant;
    return this;
  }

  /**
   * Runs every input through the parser on a worker thread. After a time-out the remaining inputs
   * are not run (the stuck thread cannot be stopped) and the report says so.
   */
  public Report check(Stream<Input> inputs) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    List<Violation> violations = new ArrayList<>();
    int[] count = {0};
    ExecutorService worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "parser-contract");
              t.setDaemon(true);
              return t;
            });
    try {
      for (Input in : (Iterable<Input>) inputs::iterator) {
        count[0]++;
        byte[] bytes = in.bytes();
        String hex = Hex.encode(bytes);
        ByteBuf buf =
            PooledByteBufAllocator.DEFAULT
                .directBuffer(Math.max(1, bytes.length))
                .writeBytes(bytes);
        Future<String> f =
            worker.submit(
                () -> {
                  long id = Thread.currentThread().getId();
                  String problem = "";
                  long allocated = 0;
                  // Twice: the first call pays for class loading and linkage of the paths this
                  // input takes, so the
                  // allocation is measured on the second.
                  for (int round = 0; round < 2 && problem.isEmpty(); round++) {
                    long before = threads.getThreadAllocatedBytes(id);
                    Object result = null;
                    try {
                      result = parser.apply(buf);
                    } catch (Throwable t) {
                      if (declared.stream().noneMatch(c -> c.isInstance(t))) {
                        problem = Kind.UNDECLARED_EXCEPTION + " " + t;
                      }
                    }
                    allocated = threads.getThreadAllocatedBytes(id) - before;
                    if (result != null && result != buf) {
                      ReferenceCountUtil.release(result);
                    }
                    if (buf.refCnt() != 1) {
                      break;
                    }
                  }
                  long bound = perInputByte * bytes.length + constant;
                  if (problem.isEmpty() && allocated > bound) {
                    problem =
                        Kind.TOO_MUCH_ALLOCATION
                            + " "
                            + allocated
                            + " bytes allocated, bound "
                            + bound;
                  }
                  return problem;
                });
        try {
          String problem = f.get(maxNanos, TimeUnit.NANOSECONDS);
          if (!problem.isEmpty()) {
            int space = problem.indexOf(' ');
            violations.add(
                new Violation(
                    Kind.valueOf(problem.substring(0, space)),
                    in.description(),
                    hex,
                    problem.substring(space + 1)));
          }
        } catch (TimeoutException e) {
          violations.add(
              new Violation(
                  Kind.TOO_SLOW,
                  in.description(),
                  hex,
                  "no result after "
                      + TimeUnit.NANOSECONDS.toMillis(maxNanos)
                      + " ms; the remaining inputs were not run"));
          return new Report(count[0], violations);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
          throw new IllegalStateException("the contract check itself failed", e.getCause());
        }
        if (buf.refCnt() != 1) {
          violations.add(
              new Violation(
                  Kind.REFERENCE_COUNT,
                  in.description(),
                  hex,
                  "reference count "
                      + buf.refCnt()
                      + " after parsing, 1 before: the caller's buffer was "
                      + (buf.refCnt() == 0 ? "released" : "retained")));
        }
        if (buf.refCnt() > 0) {
          buf.release(buf.refCnt());
        }
      }
    } finally {
      worker.shutdownNow();
    }
    return new Report(count[0], violations);
  }

  /**
   * Returns {@code n} EVPN UPDATE inputs from {@code seed}: each generated UPDATE followed by its
   * mutations (lengths that lie, truncations, duplicate and unknown attributes, bit flips,
   * splices).
   */
  public static Stream<Input> evpnUpdates(long seed, int n) {
    EvpnUpdateGenerator g = new EvpnUpdateGenerator(seed);
    List<Input> out = new ArrayList<>();
    GeneratedUpdate previous = g.next();
    for (int i = 0; i < n; i++) {
      GeneratedUpdate u = g.next();
      out.add(new Input(u.toString(), u.bytes()));
      for (MutatedUpdate m : UpdateMutator.mutations(u, previous, u.seed(), 4)) {
        out.add(new Input(m.origin().id() + " " + m.mutation(), m.bytes()));
      }
      previous = u;
    }
    return out.stream();
  }

  /**
   * Returns {@code n} BGP OPEN inputs from {@code seed}: each generated OPEN, cut short, and with a
   * bit flipped.
   */
  public static Stream<Input> bgpOpens(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Input> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      OpenGenerator.Open o = OpenGenerator.generate(r.nextLong());
      byte[] b = o.bytes();
      out.add(new Input(o.toString(), b));
      byte[] cut = java.util.Arrays.copyOf(b, 19 + r.nextInt(b.length - 19));
      cut[16] = (byte) (cut.length >>> 8);
      cut[17] = (byte) cut.length;
      out.add(new Input(Long.toHexString(o.seed()) + " cut at " + cut.length, cut));
      byte[] flip = b.clone();
      flip[r.nextInt(flip.length)] ^= (byte) (1 << r.nextInt(8));
      out.add(new Input(Long.toHexString(o.seed()) + " bit flip", flip));
    }
    return out.stream();
  }

  /**
   * Returns {@code n} VXLAN inputs from {@code seed}: each generated frame followed by its
   * mutations.
   */
  public static Stream<Input> vxlanFrames(long seed, int n) {
    VxlanFrameGenerator g = new VxlanFrameGenerator(seed);
    List<Input> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      GeneratedFrame f = g.next();
      out.add(new Input(f.toString(), f.bytes()));
      List<MutatedFrame> broken = new ArrayList<>(FrameMutator.lyingLengths(f, f.seed()));
      broken.add(FrameMutator.flipBits(f, f.seed()));
      List<MutatedFrame> cuts = FrameMutator.truncations(f);
      broken.add(cuts.get((int) Long.remainderUnsigned(f.seed(), cuts.size())));
      broken.forEach(m -> out.add(new Input(f.id() + " " + m.mutation(), m.bytes())));
    }
    return out.stream();
  }
}
