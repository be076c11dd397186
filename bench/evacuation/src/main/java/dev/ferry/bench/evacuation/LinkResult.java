package dev.ferry.bench.evacuation;

/**
 * Everything measured on one link rate: the goodput of host-a's link, the guests' non-zero memory
 * just before each run, the bandwidth lower bound that gives, and the two runs.
 *
 * @param goodputBytesPerSec TCP payload rate host-a -> host-b over the shaped links
 * @param nonZeroBytes       the guests' non-zero memory before the evacuation (the bytes any
 *                           method must move; zero pages cost QEMU a header only)
 * @param serialNonZeroBytes the same before the serial run (fresh guests again)
 */
public record LinkResult(String link, long goodputBytesPerSec, long nonZeroBytes, long serialNonZeroBytes, RunResult evacuation,
                         RunResult serial) {

    /** Bytes to move over the link's goodput: no method that sends every non-zero page once can be faster. */
    public static double lowerBoundMs(long bytes, long goodputBytesPerSec) {
        if (goodputBytesPerSec <= 0) throw new IllegalArgumentException("goodput must be positive");
        return bytes * 1000.0 / goodputBytesPerSec;
    }

    public double lowerBoundMs() { return lowerBoundMs(nonZeroBytes, goodputBytesPerSec); }

    public double serialLowerBoundMs() { return lowerBoundMs(serialNonZeroBytes, goodputBytesPerSec); }

    /** The evacuation's wall time over the lower bound; null without a successful evacuation. */
    public Double evacuationRatio() {
        return evacuation == null || !evacuation.succeeded() ? null : evacuation.wallMs() / lowerBoundMs();
    }

    public Double serialRatio() {
        return serial == null || !serial.succeeded() ? null : serial.wallMs() / serialLowerBoundMs();
    }

    public LinkResult withEvacuation(RunResult r) { return new LinkResult(link, goodputBytesPerSec, nonZeroBytes, serialNonZeroBytes, r, serial); }

    public LinkResult withSerial(long nonZero, RunResult r) {
        return new LinkResult(link, goodputBytesPerSec, nonZeroBytes, nonZero, evacuation, r);
    }
}
