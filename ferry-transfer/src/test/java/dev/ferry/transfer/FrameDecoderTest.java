package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The frame layer the way Netty tests its decoders: same frames whether input comes in one piece or one byte at a time. */
class FrameDecoderTest {
    @Test
    void framesFedOneByteAtATimeComeOutWhole() {
        List<Frame> sent = List.of(new Frame(Frame.HELLO, Messages.hello(new Messages.Hello("t0k3n", 1 << 30, 4 << 20))),
                new Frame(Frame.STATE_END, new byte[0]), new Frame(Frame.CHUNK, random(70_000, 1)),
                new Frame(Frame.ACK, Messages.ack(4 << 20, Messages.ACK_OK)));
        byte[] wire = encode(sent);
        FrameDecoder d = new FrameDecoder();
        List<Frame> got = new ArrayList<>();
        for (byte b : wire) {
            got.addAll(d.decode(ByteBuffer.wrap(new byte[] {b})));
        }
        assertSame(got, sent);
        assertThat(d.isIdle()).isTrue();

        FrameDecoder whole = new FrameDecoder();
        assertSame(whole.decode(ByteBuffer.wrap(wire)), sent);
    }

    @Test
    void framesSplitAtRandomPlacesComeOutWhole() {
        Random r = new Random(7);
        List<Frame> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) sent.add(new Frame(Frame.CHUNK, random(r.nextInt(5000), i)));
        byte[] wire = encode(sent);
        FrameDecoder d = new FrameDecoder();
        List<Frame> got = new ArrayList<>();
        for (int pos = 0; pos < wire.length; ) {
            int n = Math.min(wire.length - pos, 1 + r.nextInt(3000));
            got.addAll(d.decode(ByteBuffer.wrap(wire, pos, n)));
            pos += n;
        }
        assertSame(got, sent);
    }

    @Test
    void oversizeLengthIsRefusedFromTheHeaderAlone() {
        FrameDecoder d = new FrameDecoder(1024);
        byte[] header = FrameDecoder.header(Frame.CHUNK, Integer.MAX_VALUE); // would be 2 GiB: never allocated
        for (int i = 0; i < header.length - 1; i++) assertThat(d.decode(ByteBuffer.wrap(header, i, 1))).isEmpty();
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(header, header.length - 1, 1)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("exceeds the limit of 1024");
        byte[] negative = ByteBuffer.allocate(5).put(Frame.CHUNK).putInt(-1).array();
        assertThatThrownBy(() -> new FrameDecoder().decode(ByteBuffer.wrap(negative))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void unknownTypeIsRefused() {
        assertThatThrownBy(() -> new FrameDecoder().decode(ByteBuffer.wrap(FrameDecoder.header((byte) 0x47, 0))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("unknown frame type 71");
    }

    @Test
    void aTruncatedFrameYieldsNothingAndIsNotIdle() {
        byte[] wire = encode(List.of(new Frame(Frame.CHUNK, random(100, 3))));
        FrameDecoder d = new FrameDecoder();
        assertThat(d.decode(ByteBuffer.wrap(wire, 0, wire.length - 1))).isEmpty();
        assertThat(d.isIdle()).isFalse();
    }

    @Test
    void chunkHeadersWithBadRangesAreRefused() {
        byte[] sha = new byte[Messages.CHECKSUM_BYTES];
        int w = 1 << 20;
        assertThat(Messages.chunkHeader(Messages.chunkHeader(w, List.of(new Messages.Range(0, 10), new Messages.Range(20, 5)),
                Messages.CODEC_NONE, 15, sha), w).ranges()).hasSize(2);
        assertThatThrownBy(() -> Messages.chunkHeader(Messages.chunkHeader(0, List.of(new Messages.Range(20, 5),
                new Messages.Range(0, 10)), Messages.CODEC_NONE, 15, sha), w)).hasMessageContaining("sorted");
        assertThatThrownBy(() -> Messages.chunkHeader(Messages.chunkHeader(0, List.of(new Messages.Range(w - 4, 5)),
                Messages.CODEC_NONE, 5, sha), w)).hasMessageContaining("inside the window");
        assertThatThrownBy(() -> Messages.chunkHeader(Messages.chunkHeader(0, List.of(new Messages.Range(0, 5)),
                Messages.CODEC_NONE, 6, sha), w)).hasMessageContaining("sum of its ranges");
        assertThatThrownBy(() -> Messages.chunkHeader(Messages.chunkHeader(12345, List.of(new Messages.Range(0, 5)),
                Messages.CODEC_NONE, 5, sha), w)).hasMessageContaining("aligned");
        byte[] cut = Messages.chunkHeader(0, List.of(new Messages.Range(0, 5)), Messages.CODEC_NONE, 5, sha);
        assertThatThrownBy(() -> Messages.chunkHeader(java.util.Arrays.copyOf(cut, cut.length - 1), w))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Messages.hello(java.util.Arrays.copyOf(Messages.hello(new Messages.Hello("x", 1, 1 << 20)), 30)))
                .hasMessageContaining("too many");
    }

    private static void assertSame(List<Frame> got, List<Frame> sent) {
        assertThat(got).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(got.get(i).type()).isEqualTo(sent.get(i).type());
            assertThat(got.get(i).payload()).isEqualTo(sent.get(i).payload());
        }
    }

    private static byte[] encode(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            out.writeBytes(FrameDecoder.header(f.type(), f.payload().length));
            out.writeBytes(f.payload());
        }
        return out.toByteArray();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
