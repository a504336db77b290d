/** A labelled image set as every loader returns it (FashionMNIST, SVHN, the synthetic set). */
export interface ImageSet {
  name: string;
  /** Where it was read from, or 'synthetic'. */
  source: string;
  synthetic: boolean;
  count: number;
  height: number;
  width: number;
  channels: number;
  /** count × height × width × channels, uint8, channels last. */
  images: Uint8Array;
  labels: Uint8Array;
}
