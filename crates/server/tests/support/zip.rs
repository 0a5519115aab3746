//! Reading the parts of an XLSX file: a ZIP archive whose parts are stored or deflated. The
//! test crate has no archive library, so this reads just what the export checks need.

fn u16_at(bytes: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> usize {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize
}

/// Reads every part of the archive with its uncompressed content, from the central
/// directory.
pub fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let end = bytes
        .windows(4)
        .rposition(|window| window == [0x50, 0x4b, 0x05, 0x06])
        .expect("end of central directory");
    let count = u16_at(bytes, end + 10);
    let mut at = u32_at(bytes, end + 16);
    let mut parts = Vec::new();
    for _ in 0..count {
        assert_eq!(u32_at(bytes, at), 0x0201_4b50, "central directory entry");
        let method = u16_at(bytes, at + 10);
        let compressed = u32_at(bytes, at + 20);
        let name_length = u16_at(bytes, at + 28);
        let extra_length = u16_at(bytes, at + 30);
        let comment_length = u16_at(bytes, at + 32);
        let local = u32_at(bytes, at + 42);
        let name =
            String::from_utf8(bytes[at + 46..at + 46 + name_length].to_vec()).expect("UTF-8 name");
        assert_eq!(u32_at(bytes, local), 0x0403_4b50, "local header of {name}");
        let data_start = local + 30 + u16_at(bytes, local + 26) + u16_at(bytes, local + 28);
        let data = &bytes[data_start..data_start + compressed];
        let content = match method {
            0 => data.to_vec(),
            8 => inflate(data),
            other => panic!("{name}: compression method {other}"),
        };
        parts.push((name, content));
        at += 46 + name_length + extra_length + comment_length;
    }
    parts
}

/// Bits of a DEFLATE stream, least significant first.
struct Bits<'a> {
    data: &'a [u8],
    at: usize,
    buffer: u64,
    count: u32,
}

impl Bits<'_> {
    fn take(&mut self, n: u32) -> u32 {
        while self.count < n {
            self.buffer |= u64::from(self.data[self.at]) << self.count;
            self.at += 1;
            self.count += 8;
        }
        let value = (self.buffer & ((1u64 << n) - 1)) as u32;
        self.buffer >>= n;
        self.count -= n;
        value
    }
}

/// A canonical Huffman code: how many codes have each length, and the symbols in code
/// order.
struct Huffman {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

fn huffman(lengths: &[u8]) -> Huffman {
    let mut counts = [0u16; 16];
    for length in lengths {
        counts[usize::from(*length)] += 1;
    }
    let mut offsets = [0u16; 16];
    for length in 1..15 {
        offsets[length + 1] = offsets[length] + counts[length];
    }
    let mut symbols = vec![0u16; lengths.len()];
    for (symbol, length) in lengths.iter().enumerate() {
        if *length != 0 {
            let slot = &mut offsets[usize::from(*length)];
            symbols[usize::from(*slot)] = symbol as u16;
            *slot += 1;
        }
    }
    Huffman { counts, symbols }
}

fn decode(bits: &mut Bits, code: &Huffman) -> u16 {
    let (mut value, mut first, mut index) = (0i32, 0i32, 0i32);
    for length in 1..16 {
        value |= bits.take(1) as i32;
        let count = i32::from(code.counts[length]);
        if value - count < first {
            return code.symbols[(index + value - first) as usize];
        }
        index += count;
        first += count;
        first <<= 1;
        value <<= 1;
    }
    panic!("invalid Huffman code");
}

const LENGTH_BASE: [usize; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u32; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DISTANCE_BASE: [usize; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA: [u32; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

fn block(bits: &mut Bits, out: &mut Vec<u8>, lengths: &Huffman, distances: &Huffman) {
    loop {
        let symbol = usize::from(decode(bits, lengths));
        match symbol {
            0..=255 => out.push(symbol as u8),
            256 => return,
            _ => {
                let slot = symbol - 257;
                let length = LENGTH_BASE[slot] + bits.take(LENGTH_EXTRA[slot]) as usize;
                let slot = usize::from(decode(bits, distances));
                let distance = DISTANCE_BASE[slot] + bits.take(DISTANCE_EXTRA[slot]) as usize;
                for _ in 0..length {
                    out.push(out[out.len() - distance]);
                }
            }
        }
    }
}

/// Decodes a raw DEFLATE stream (RFC 1951).
pub fn inflate(data: &[u8]) -> Vec<u8> {
    let mut bits = Bits {
        data,
        at: 0,
        buffer: 0,
        count: 0,
    };
    let mut out = Vec::new();
    loop {
        let last = bits.take(1);
        match bits.take(2) {
            0 => {
                bits.buffer = 0;
                bits.count = 0;
                let length = u16_at(data, bits.at);
                bits.at += 4;
                out.extend_from_slice(&data[bits.at..bits.at + length]);
                bits.at += length;
            }
            1 => {
                let mut lengths = [0u8; 288];
                lengths[..144].fill(8);
                lengths[144..256].fill(9);
                lengths[256..280].fill(7);
                lengths[280..].fill(8);
                block(&mut bits, &mut out, &huffman(&lengths), &huffman(&[5; 30]));
            }
            2 => {
                let literals = bits.take(5) as usize + 257;
                let distances = bits.take(5) as usize + 1;
                let code_lengths = bits.take(4) as usize + 4;
                const ORDER: [usize; 19] = [
                    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
                ];
                let mut lengths = [0u8; 19];
                for position in ORDER.iter().take(code_lengths) {
                    lengths[*position] = bits.take(3) as u8;
                }
                let code = huffman(&lengths);
                let mut all = vec![0u8; literals + distances];
                let mut index = 0;
                while index < all.len() {
                    let symbol = decode(&mut bits, &code);
                    let (value, repeat) = match symbol {
                        0..=15 => (symbol as u8, 1),
                        16 => (all[index - 1], 3 + bits.take(2) as usize),
                        17 => (0, 3 + bits.take(3) as usize),
                        _ => (0, 11 + bits.take(7) as usize),
                    };
                    all[index..index + repeat].fill(value);
                    index += repeat;
                }
                block(
                    &mut bits,
                    &mut out,
                    &huffman(&all[..literals]),
                    &huffman(&all[literals..]),
                );
            }
            other => panic!("invalid block type {other}"),
        }
        if last == 1 {
            return out;
        }
    }
}
