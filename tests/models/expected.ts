/**
 * Test accuracies of the committed example models on the 10,000 FashionMNIST test images, as
 * measured by PyTorch 1.13 (Debian's python3-torch) on the same weights, independently of the
 * harness: `/usr/bin/python3 solutions/_make/export_onnx.py <model dir> <out.onnx>` prints
 * "pytorch test accuracy 0.8978 (8978/10000)" and so on. Run on 2026-11-26.
 */
export const PYTORCH_ACCURACY: Record<string, number> = {
  correct: 0.8978, // mlp-good2: 784-256-128-10, 24 epochs
  'flawed-task2-accuracy-between-85-and-89': 0.859, // mlp-mid3: 784-128-10, 4 epochs
  'flawed-task2-accuracy-below-85': 0.6694, // mlp-weak: 784-64-10, 2 epochs on 2,700 images
};
/** The re-initialized model of `correct` (He normal, 8 epochs). */
export const PYTORCH_ACCURACY_REINIT = 0.8816;

/**
 * The Task 3 CNNs of `correct` (trained on the synthetic SVHN-like set), measured by PyTorch on
 * the 5,000 synthetic test images the harness uses where SVHN is absent (written as raw bytes by
 * solutions/_make/dump_synthetic_svhn.ts; NCHW weights from export_onnx.py, which printed
 * "pytorch test accuracy 0.9928 (4964/5000)" and "0.9456 (4728/5000)"). Run on 2026-11-26.
 */
export const PYTORCH_ACCURACY_CNN_SYNTHETIC = { cnn: 0.9928, 'cnn-aug': 0.9456 };
