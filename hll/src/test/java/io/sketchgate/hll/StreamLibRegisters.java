package io.sketchgate.hll;

import com.clearspring.analytics.stream.cardinality.HyperLogLogPlus;
import com.clearspring.analytics.stream.cardinality.RegisterSet;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads the registers of a normal-mode stream-lib sketch through its public byte form. */
final class StreamLibRegisters {

    private StreamLibRegisters() {}

    static byte[] of(HyperLogLogPlus sketch, int precision) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(sketch.getBytes()));
            if (in.readInt() != -2) {
                throw new IllegalStateException("unexpected stream-lib version");
            }
            readVarint(in); // p
            readVarint(in); // sp
            if (readVarint(in) != 0) {
                throw new IllegalStateException("stream-lib sketch is not in normal mode");
            }
            int[] words = new int[readVarint(in) / 4];
            for (int i = 0; i < words.length; i++) {
                words[i] = in.readInt();
            }
            RegisterSet set = new RegisterSet(1 << precision, words);
            byte[] registers = new byte[1 << precision];
            for (int i = 0; i < registers.length; i++) {
                registers[i] = (byte) set.get(i);
            }
            return registers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int readVarint(DataInputStream in) throws IOException {
        int value = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            value |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return value;
    }
}
