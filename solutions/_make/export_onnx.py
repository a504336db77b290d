"""Exports a TensorFlow.js dense model (model.json + weights.bin) to ONNX with PyTorch, as a
PyTorch pair would hand in its model: the same weights in an nn.Sequential, then
torch.onnx.export. Run with Debian's python3-torch:

    /usr/bin/python3 solutions/_make/export_onnx.py MODEL_DIR OUT.onnx
"""
import json
import struct
import sys

import torch

model_dir, out = sys.argv[1], sys.argv[2]
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

layers = []
config = spec['modelTopology']['config']['layers']
dense = [l for l in config if l['class_name'] == 'Dense']
for i, layer in enumerate(dense):
    name = layer['config']['name']
    kernel, bias = weights[f'{name}/kernel'], weights[f'{name}/bias']
    linear = torch.nn.Linear(kernel.shape[0], kernel.shape[1])
    with torch.no_grad():
        linear.weight.copy_(kernel.T)  # tfjs keeps (in, out); torch keeps (out, in)
        linear.bias.copy_(bias)
    layers.append(linear)
    activation = layer['config']['activation']
    layers.append(torch.nn.ReLU() if activation == 'relu' else torch.nn.Softmax(dim=1) if activation == 'softmax' else torch.nn.Identity())
net = torch.nn.Sequential(*layers).eval()
torch.onnx.export(net, torch.zeros(1, dense[0]['config']['batch_input_shape'][1]), out,
                  input_names=['input'], output_names=['probabilities'],
                  dynamic_axes={'input': {0: 'batch'}, 'probabilities': {0: 'batch'}}, opset_version=13)
print('wrote', out, sum(p.numel() for p in net.parameters()), 'parameters')

# An independent measurement of the same weights: PyTorch on the official test set, read
# here with gzip and struct (no harness code), for the tests' expected accuracies.
import gzip
data_dir = '/usr/share/datasets/fashion-mnist'
images = gzip.open(f'{data_dir}/t10k-images-idx3-ubyte.gz').read()[16:]
labels = gzip.open(f'{data_dir}/t10k-labels-idx1-ubyte.gz').read()[8:]
x = torch.tensor(list(images), dtype=torch.float32).reshape(-1, 784) / 255
y = torch.tensor(list(labels))
with torch.no_grad():
    correct = (net(x).argmax(dim=1) == y).sum().item()
print('pytorch test accuracy', correct / len(y), f'({correct}/{len(y)})')
