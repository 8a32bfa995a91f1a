// An analysis worker that keeps everything it allocates, until its heap cap stops it.
const kept: string[][] = [];
for (;;) kept.push(Array.from({ length: 10_000 }, (_, i) => `row ${i} ${kept.length}`));
