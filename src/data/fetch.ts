/**
 * `hw2 data fetch fashion`: downloads FashionMNIST from its upstream and checks every file by
 * the sha256 of its decompressed content (re-compressed copies, like Debian's, differ in
 * their gzip bytes but not in their content). On a machine without internet it fails at
 * once with a message that says where else the data can come from.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Upstream (Zalando's mirror); HW2_FASHION_URL points elsewhere, e.g. a course mirror. */
const FASHION_URL = () => process.env.HW2_FASHION_URL ?? 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** sha256 of the decompressed idx files, computed from Debian's dataset-fashion-mnist 2017 release. */
export const FASHION_SHA256: Record<string, string> = {
  'train-images-idx3-ubyte': 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  'train-labels-idx1-ubyte': 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  't10k-images-idx3-ubyte': '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  't10k-labels-idx1-ubyte': '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
};

export async function fetchFashion(dir: string, log: (line: string) => void): Promise<void> {
  const target = join(dir, 'fashion-mnist');
  await mkdir(target, { recursive: true });
  for (const [stem, sha] of Object.entries(FASHION_SHA256)) {
    const url = `${FASHION_URL()}${stem}.gz`;
    let bytes: Buffer;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new Error(`could not download ${url} (${cause}). Without internet, install Debian's dataset-fashion-mnist or copy the four .gz files into ${target}`);
    }
    const got = createHash('sha256').update(gunzipSync(bytes)).digest('hex');
    if (got !== sha) throw new Error(`${url}: content sha256 ${got}, expected ${sha}; the file was not saved`);
    await writeFile(join(target, `${stem}.gz`), bytes);
    log(`${stem}.gz: ${bytes.length} bytes, sha256 of its content checked`);
  }
}
