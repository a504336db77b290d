"""Exports a TensorFlow.js model (model.json + weights.bin) to ONNX with PyTorch, as a PyTorch
pair would hand in its model: the same weights in an nn.Sequential, then torch.onnx.export.
Dense models (Task 2) take [N, 784]; CNNs (Task 3) take [N, 3, 32, 32] (NCHW, as PyTorch lays
images out), so the first dense layer's rows are reordered from TF.js's (h, w, c) flattening
to PyTorch's (c, h, w). Run with Debian's python3-torch:

    /usr/bin/python3 solutions/_make/export_onnx.py MODEL_DIR OUT.onnx [IMAGES_DIR]

Then PyTorch measures the same weights, without harness code: a dense model on the official
FashionMNIST test set; a CNN on IMAGES_DIR/images.u8 + labels.u8 (N×32×32×3 bytes, NHWC, and N
labels), e.g. the synthetic set written by dump_synthetic_svhn.ts.
"""
import gzip
import json
import struct
import sys

import torch

model_dir, out = sys.argv[1], sys.argv[2]
images_dir = sys.argv[3] if len(sys.argv) > 3 else None
spec = json.load(open(f'{model_dir}/model.json'))
raw = open(f'{model_dir}/weights.bin', 'rb').read()
weights, offset = {}, 0
for w in spec['weightsManifest'][0]['weights']:
    count = 1
    for d in w['shape']:
        count *= d
    values = struct.unpack_from('<%df' % count, raw, offset)
    offset += 4 * count
    weights[w['name']] = torch.tensor(values, dtype=torch.float32).reshape(w['shape'])


def activation(name):
    return torch.nn.ReLU() if name == 'relu' else torch.nn.Softmax(dim=1) if name == 'softmax' else torch.nn.Identity()


config = spec['modelTopology']['config']['layers']
first_shape = config[0]['config']['batch_input_shape'][1:]
is_cnn = any(l['class_name'] == 'Conv2D' for l in config)
layers, shape, after_flatten = [], list(first_shape), False  # shape: NHWC without N
for layer in config:
    kind, c = layer['class_name'], layer['config']
    if kind == 'Conv2D':
        kernel, bias = weights[f"{c['name']}/kernel"], weights[f"{c['name']}/bias"]
        kh, kw, ci, co = kernel.shape
        assert c['padding'] == 'same' and kh % 2 == 1 and tuple(c['strides']) == (1, 1), 'only odd same-padded stride-1 convolutions'
        conv = torch.nn.Conv2d(ci, co, (kh, kw), padding=(kh // 2, kw // 2))
        with torch.no_grad():
            conv.weight.copy_(kernel.permute(3, 2, 0, 1))  # tfjs (kh, kw, ci, co) → torch (co, ci, kh, kw)
            conv.bias.copy_(bias)
        layers += [conv, activation(c['activation'])]
        shape = [shape[0], shape[1], co]
    elif kind == 'MaxPooling2D':
        assert c['padding'] == 'valid'
        layers.append(torch.nn.MaxPool2d(c['pool_size'], c['strides']))
        shape = [(shape[0] - c['pool_size'][0]) // c['strides'][0] + 1, (shape[1] - c['pool_size'][1]) // c['strides'][1] + 1, shape[2]]
    elif kind == 'Flatten':
        layers.append(torch.nn.Flatten())
        after_flatten = True
    elif kind == 'Dense':
        kernel, bias = weights[f"{c['name']}/kernel"], weights[f"{c['name']}/bias"]
        if after_flatten:  # rows in (h, w, c) order → (c, h, w)
            h, w, ch = shape
            kernel = kernel.reshape(h, w, ch, -1).permute(2, 0, 1, 3).reshape(h * w * ch, -1)
            after_flatten = False
        linear = torch.nn.Linear(kernel.shape[0], kernel.shape[1])
        with torch.no_grad():
            linear.weight.copy_(kernel.T)  # tfjs keeps (in, out); torch keeps (out, in)
            linear.bias.copy_(bias)
        layers += [linear, activation(c['activation'])]
    elif kind != 'Dropout':
        raise SystemExit(f'unsupported layer {kind}')
net = torch.nn.Sequential(*layers).eval()
example = torch.zeros(1, first_shape[2], first_shape[0], first_shape[1]) if is_cnn else torch.zeros(1, first_shape[0])
torch.onnx.export(net, example, out, input_names=['input'], output_names=['probabilities'],
                  dynamic_axes={'input': {0: 'batch'}, 'probabilities': {0: 'batch'}}, opset_version=13)
print('wrote', out, sum(p.numel() for p in net.parameters()), 'parameters')

# An independent measurement of the same weights, read here with gzip and struct or as raw
# bytes (no harness code), for the tests' expected accuracies.
if is_cnn:
    if images_dir is None:
        raise SystemExit('a CNN is measured on IMAGES_DIR/images.u8 and labels.u8: name IMAGES_DIR')
    images = open(f'{images_dir}/images.u8', 'rb').read()
    labels = open(f'{images_dir}/labels.u8', 'rb').read()
    x = torch.frombuffer(bytearray(images), dtype=torch.uint8).float().reshape(-1, 32, 32, 3).permute(0, 3, 1, 2) / 255
else:
    data_dir = '/usr/share/datasets/fashion-mnist'
    images = gzip.open(f'{data_dir}/t10k-images-idx3-ubyte.gz').read()[16:]
    labels = gzip.open(f'{data_dir}/t10k-labels-idx1-ubyte.gz').read()[8:]
    x = torch.tensor(list(images), dtype=torch.float32).reshape(-1, 784) / 255
y = torch.tensor(list(labels))
with torch.no_grad():
    correct = sum((net(x[i:i + 1000]).argmax(dim=1) == y[i:i + 1000]).sum().item() for i in range(0, len(y), 1000))
print('pytorch test accuracy', correct / len(y), f'({correct}/{len(y)})')
