/**
 * JMH benchmarks of evpnkit's hot paths. Build with {@code mvn -pl benchmarks -am package
 * -DskipTests}, run with {@code java -jar benchmarks/target/benchmarks.jar -prof gc}; results are
 * recorded in {@code benchmarks/RESULTS.md}.
 */
package io.evpnkit.benchmarks;
