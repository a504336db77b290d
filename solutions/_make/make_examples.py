"""Writes the example submissions' hw2.json files (and notebooks, .npy samples, Task 2 models).

The numbers are computed here in plain Python, independently of the harness's TypeScript
reference, the way a student pair would: a forward pass, the chain rule by hand, one SGD
step, and the VGG-11 table counted layer by layer. Each flawed example takes the correct
answers and injects one real mistake (one Task 3 example, three, each read by its own check);
every automatic check has at least one. Run from the repository root:

    /usr/bin/python3 solutions/_make/make_examples.py [TRAINED_MODELS_DIR]

Task 2's models are trained by the harness (`hw2 train mlp`, flags in each card.json) into
TRAINED_MODELS_DIR/<name>/; given that folder, they are copied into the examples (and
exported to ONNX for the PyTorch-style pair with export_onnx.py); without it, the models
already in solutions/ are kept. The Task 2 and Task 3 flawed examples that need a model copy
`correct`'s (or, for the untrained CNN, draw its initial weights here).
"""
import copy
import json
import math
import os
import random
import shutil
import struct
import subprocess
import sys

TRAINED = sys.argv[1] if len(sys.argv) > 1 else None

ROOT = os.path.join(os.path.dirname(__file__), '..')
sig = lambda z: 1 / (1 + math.exp(-z))


def q2(no_hidden_bias=False, loss_factor=1.0, sign_flip=None, step=1, digits=6, hidden_with_updated=False):
    x, t = [1, 4, 5], [0.1, 0.05]
    w = dict(w1=.1, w2=.2, w3=.3, w4=.4, w5=.5, w6=.6, w7=.7, w8=.8, w9=.9, w10=.1, b1=.5, b2=.5)
    b1 = 0 if no_hidden_bias else w['b1']
    h1 = sig(w['w1'] * x[0] + w['w3'] * x[1] + w['w5'] * x[2] + b1)
    h2 = sig(w['w2'] * x[0] + w['w4'] * x[1] + w['w6'] * x[2] + b1)
    o1 = sig(w['w7'] * h1 + w['w9'] * h2 + w['b2'])
    o2 = sig(w['w8'] * h1 + w['w10'] * h2 + w['b2'])
    E = loss_factor * 0.5 * ((t[0] - o1) ** 2 + (t[1] - o2) ** 2)
    d1 = 2 * loss_factor * 0.5 * (o1 - t[0]) * o1 * (1 - o1)
    d2 = 2 * loss_factor * 0.5 * (o2 - t[1]) * o2 * (1 - o2)
    # hidden_with_updated: the output layer's step taken first, and δh backpropagated through the
    # updated w7–w10 (a pair that updates each layer as soon as its gradient is known).
    wo = {k: w[k] - 0.01 * v for k, v in dict(w7=d1 * h1, w9=d1 * h2, w8=d2 * h1, w10=d2 * h2).items()} if hidden_with_updated else w
    e1 = (d1 * wo['w7'] + d2 * wo['w8']) * h1 * (1 - h1)
    e2 = (d1 * wo['w9'] + d2 * wo['w10']) * h2 * (1 - h2)
    g = dict(w1=e1 * x[0], w3=e1 * x[1], w5=e1 * x[2], w2=e2 * x[0], w4=e2 * x[1], w6=e2 * x[2],
             w7=d1 * h1, w9=d1 * h2, w8=d2 * h1, w10=d2 * h2)
    if sign_flip:
        g[sign_flip] = -g[sign_flip]
    r = lambda v: float(f'{v:.{digits}g}')
    return {
        'forward': {k: r(v) for k, v in dict(h1=h1, h2=h2, o1=o1, o2=o2, E=E).items()},
        'gradients': {k: r(g[k]) for k in sorted(g, key=lambda s: int(s[1:]))},
        # Shared biases kept fixed: one of the two accepted conventions.
        # step=-1: the SGD step taken along the gradient (w + α·g).
        'updated': {k: r(w[k] - step * 0.01 * g[k]) for k in sorted(g, key=lambda s: int(s[1:]))},
        'work': 'E = 1/2 * sum (t - o)^2; delta_o = (o - t) o (1 - o); delta_h = sum_k delta_o_k w_hk h (1 - h).',
    }


def vgg(biases=True, last_pool=True, share_without_last_fc=False, fc_fan_in_channels=False):
    layers = ['CONV3-64', 'ReLU', 'POOL2', 'CONV3-128', 'ReLU', 'POOL2', 'CONV3-256', 'ReLU', 'CONV3-256', 'ReLU',
              'POOL2', 'CONV3-512', 'ReLU', 'CONV3-512', 'ReLU', 'POOL2', 'CONV3-512', 'ReLU', 'CONV3-512', 'ReLU',
              'POOL2', 'FC-4096', 'FC-4096', 'FC-1000', 'SOFTMAX']
    h, c = 224, 3
    flat = None
    rows = [{'layer': 'INPUT', 'output': '224x224x3', 'params': 0}]
    for i, layer in enumerate(layers):
        if layer.startswith('CONV'):
            n = int(layer.split('-')[1])
            p = 9 * c * n + (n if biases else 0)
            c = n
            rows.append({'layer': layer, 'output': f'{h}x{h}x{c}', 'params': p})
        elif layer == 'POOL2':
            is_last = i == 20
            if not (is_last and not last_pool):
                h //= 2
            rows.append({'layer': layer, 'output': f'{h}x{h}x{c}', 'params': 0})
        elif layer.startswith('FC'):
            n = int(layer.split('-')[1])
            # fc_fan_in_channels: the first FC's fan-in taken as the channels (512), not h·w·c.
            fan_in = (c if fc_fan_in_channels else h * h * c) if flat is None else flat
            rows.append({'layer': layer, 'output': str(n), 'params': fan_in * n + (n if biases else 0)})
            flat = n
        else:
            rows.append({'layer': layer, 'output': rows[-1]['output'], 'params': 0})
    total = sum(r['params'] for r in rows)
    fc = sum(r['params'] for r in rows if r['layer'].startswith('FC') and not (share_without_last_fc and r['layer'] == 'FC-1000'))
    return {'rows': rows, 'total': total, 'fcWeightPercent': round(100 * fc / total, 2)}


def q5_params(d, rng, tie):
    """Random parameters with W1 tied by `tie(j, i) -> (j', i')` inside every hidden unit."""
    W1 = []
    for r in range(4):
        units = []
        for k in range(d):
            u = [[None] * d for _ in range(4)]
            for j in range(4):
                for i in range(d):
                    if u[j][i] is None:
                        v = round(rng.gauss(0, 1), 4)
                        jj, ii = tie(j, i)
                        u[j][i] = v
                        u[jj][ii] = v
            units.append(u)
        W1.append(units)
    W2 = [[round(rng.gauss(0, 1), 4) for _ in range(d)] for _ in range(4)]
    return {'W1': W1, 'W2': W2}


def write_npy(path, rows, cols, draw, dtype='<f4'):
    """NumPy's .npy v1.0 by hand: magic, a padded header dict, little-endian float32 (or, with
    dtype '<f2', float16: struct's 'e' rounds to nearest even, as numpy's astype does) values."""
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }" % (dtype, rows, cols)
    header += ' ' * ((64 - (10 + len(header) + 1) % 64) % 64) + '\n'
    code = {'<f4': 'f', '<f2': 'e'}[dtype]
    with open(path, 'wb') as f:
        f.write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode('latin1'))
        f.write(struct.pack('<%d%s' % (rows * cols, code), *(draw() for _ in range(rows * cols))))


FAN_IN, FAN_OUT = 128, 64


def xavier_uniform(rng, fan_in=FAN_IN, fan_out=FAN_OUT):
    b = math.sqrt(6 / (fan_in + fan_out))
    return lambda: rng.uniform(-b, b)


def kaiming_normal(rng, fan_in=FAN_IN, fan_out=FAN_OUT, fan=None, factor=2.0):
    return lambda: rng.gauss(0, math.sqrt(factor / (fan or fan_in)))


# Task 1 printed values: those of the fast.ai notebook "Why you need a good init" (Kuhn, 2019),
# which runs the same experiments: NaN at layer 28, std of a·x ≈ sqrt(512), and so on.
TASK1 = {
    'nanLayer': 28,
    'products': {'mean': 0.0095, 'std': 22.62, 'sqrtN': 22.627},
    'scaled': {'mean': 0.0043, 'std': 1.07},
    'tanh': {'mean': -0.0013, 'std': 0.0717},
    'xavierTanh': {'mean': 0.0012, 'std': 0.0812},
    'kaimingRelu': {'mean': 0.58, 'std': 0.84},
    'xavierRelu': {'mean': 2.1e-16, 'std': 3.2e-16},
    'samples': [
        {'init': 'xavier', 'fanIn': FAN_IN, 'fanOut': FAN_OUT, 'file': 'xavier_%d_%d.npy' % (FAN_IN, FAN_OUT)},
        {'init': 'kaiming', 'fanIn': FAN_IN, 'fanOut': FAN_OUT, 'file': 'kaiming_%d_%d.npy' % (FAN_IN, FAN_OUT)},
    ],
    'explanations': {
        'item1': 'Each product multiplies the scale by about sqrt(512); float32 overflows to inf near layer 28 and inf - inf gives NaN.',
        'item4': 'tanh is contracting (|tanh(z)| < |z|), so with a variance-preserving init the activations shrink slowly.',
        'item6': 'Xavier keeps the variance for linear layers; ReLU halves it at every layer, so after 100 layers it vanishes (~2^-50).',
    },
}


def correct():
    rng = random.Random(211)
    d = 3
    return {
        'contract': 1,
        'group': {'ids': ['123456782', '234567891'], 'names': ['Noa Levi', 'Amit Cohen']},
        'answers': {
            'q1': {'proof': 'Let v = w - w_t. Then w^T x - w_t^T x = v^T x, and E[(v^T x)^2] = v^T E[x x^T] v = v^T I v = ||v||^2.'},
            'q2': q2(),
            'q3': {
                'a': {'criticalPoint': 12, 'type': 'model-wise', 'explanation': 'Test error against model width peaks where the model first interpolates the training set.'},
                'b': {'criticalPoint': 40, 'type': 'epoch-wise', 'explanation': 'For a fixed large model, test error rises then falls again with training time.'},
                'c': {'criticalPoint': 10000, 'type': 'sample-wise', 'explanation': 'More samples move the interpolation threshold, so more data can hurt.'},
            },
            'q4': {'expectation': 0.5, 'sigma': 'sqrt(2/d)', 'proof': 'E[max(0,z)^2] = 1/2 E[z^2] = 1/2 by symmetry, so sigma = 1/sqrt(d/2) = sqrt(2/d).'},
            'q5': {
                'invariances': ['hidden-permutation', 'positive-rescaling'],
                'invariancesExplanation': 'Permuting hidden units, and scaling a unit\'s input weights by a > 0 and its output weight by 1/a.',
                'reversal': q5_params(d, rng, lambda j, i: (j, d - 1 - i)),
                'reversalConstraints': 'W1[r,k,j,i] = W1[r,k,j,d-1-i] for every hidden unit.',
                'complement': q5_params(d, rng, lambda j, i: ((j + 2) % 4, i)),
                'complementConstraints': 'W1[r,k,j,i] = W1[r,k,(j+2) mod 4,i] for every hidden unit.',
                'scaleEffect': 'none',
                'scaleTraining': 'Yes: the gradient of each sample scales with c, so large-c samples dominate the updates.',
                'scaleImprovement': 'Normalize each sample (e.g. divide X by its norm) before the network.',
            },
            'q6': vgg(),
            'task1': copy.deepcopy(TASK1),
            'task2': task2()[0],
        },
    }


def notebook(doc, run=True):
    """A small nbformat 4 notebook as the course collects it: answers in Markdown under
    question headings, code cells saved with their execution counts and outputs."""
    a = doc['answers']
    md = lambda text: {'cell_type': 'markdown', 'metadata': {}, 'source': text}
    def code(n, src, out):
        return {'cell_type': 'code', 'metadata': {}, 'source': src, 'execution_count': n if run else None,
                'outputs': [{'output_type': 'stream', 'name': 'stdout', 'text': out}] if run and out else []}
    t1 = a.get('task1', {})
    cells = [
        md('# EE 046211 HW2\nSubmitted by %s' % ', '.join(doc['group']['ids'])),
        md('## Q1\n' + a['q1']['proof']),
        md('## Q3\n' + ' '.join(a['q3'][p]['explanation'] for p in 'abc')),
        md('## Q4\n' + a['q4']['proof']),
        code(1, 'import torch\ntorch.manual_seed(211)', ''),
        md('## Task 1\n' + t1.get('explanations', {}).get('item1', '')),
        code(2, 'x = torch.randn(512)\nfor i in range(100):\n    x = torch.randn(512, 512) @ x\n    if torch.isnan(x).any(): break\nprint(i)', '%s\n' % t1.get('nanLayer', '')),
        code(3, 'print(x.mean(), x.std())', 'tensor(nan) tensor(nan)\n'),
    ]
    return {'nbformat': 4, 'nbformat_minor': 5, 'metadata': {'kernelspec': {'name': 'python3', 'display_name': 'Python 3'}}, 'cells': cells}


def card(model):
    return json.load(open(os.path.join(TRAINED or '', model, 'card.json'))) if TRAINED else None


def task2(model='mlp-good2', reinit='mlp-he', claim=None, fmt='tfjs', example='correct'):
    """Task 2's answers for a model trained by the harness; the claim defaults to the truth.
    Without TRAINED the card is the one committed with `example`'s model."""
    c = card(model) if TRAINED else json.load(open(os.path.join(ROOT, example, 'models', 'mlp', 'card.json')))
    path = 'models/mlp.onnx' if fmt == 'onnx' else 'models/mlp/model.json'
    t = {
        'model': {'path': path, 'preprocessing': {'scale': 1 / 255, 'layout': 'flat'}},
        'claimed': {'testAccuracy': claim if claim is not None else round(c['testAccuracy'], 4)},
        'architecture': c['architecture'],
        'hyperparameters': c['hyperparameters'],
        'history': 'history/mlp.json',
        'display': 'Cell 6 shows six test images with their labels (plt.subplots(1, 6)).',
    }
    if reinit:
        t['reinitModel'] = {'path': path.replace('mlp', 'mlp-he'), 'preprocessing': {'scale': 1 / 255, 'layout': 'flat'}}
        t['reinitInit'] = 'torch.nn.init.kaiming_normal_ (He normal)'
    return t, model, reinit, fmt


def task3(fmt='tfjs'):
    """Task 3's answers for the CNNs trained by `hw2 train cnn` (on the synthetic set here);
    as ONNX files the models take NCHW input, as PyTorch lays images out."""
    src = TRAINED or os.path.join(ROOT, 'correct')
    c = json.load(open(os.path.join(src, 'cnn' if TRAINED else 'models/cnn', 'card.json')))
    a = json.load(open(os.path.join(src, 'cnn-aug' if TRAINED else 'models/cnn-aug', 'card.json')))
    pre = {'scale': 1 / 255, 'layout': 'NCHW' if fmt == 'onnx' else 'NHWC'}
    path = (lambda name: 'models/%s.onnx' % name) if fmt == 'onnx' else (lambda name: 'models/%s/model.json' % name)
    return {
        'model': {'path': path('cnn'), 'preprocessing': pre},
        'augmentedModel': {'path': path('cnn-aug'), 'preprocessing': pre},
        'claimed': {'testAccuracy': round(c['testAccuracy'], 4), 'params': c['params'], 'augmentedTestAccuracy': round(a['testAccuracy'], 4)},
        'inputShape': [3, 32, 32] if fmt == 'onnx' else [32, 32, 3], 'outputShape': [10],
        'architecture': c['architecture'], 'hyperparameters': c['hyperparameters'],
        'tuning': 'Learning rate and width chosen on a 10% validation split.',
        'augmentation': a['hyperparameters']['augment'],
        'history': 'history/cnn.json',
        'display': 'Cell 9 shows five training images with their labels.',
    }


def place_cnns(folder, fmt='tfjs'):
    if not TRAINED:
        return
    for name in ('cnn', 'cnn-aug'):
        if fmt == 'onnx':
            # PyTorch measures the exported weights on the synthetic test set the harness uses.
            images = os.path.join(TRAINED, 'synthetic-svhn-test')
            subprocess.run(['node', '--import', 'tsx', os.path.join(os.path.dirname(__file__), 'dump_synthetic_svhn.ts'), images], check=True)
            subprocess.run(['/usr/bin/python3', os.path.join(os.path.dirname(__file__), 'export_onnx.py'), os.path.join(TRAINED, name), os.path.join(folder, 'models', name + '.onnx'), images], check=True)
            continue
        dst = os.path.join(folder, 'models', name)
        os.makedirs(dst, exist_ok=True)
        for f in ['model.json', 'weights.bin', 'card.json']:
            shutil.copy(os.path.join(TRAINED, name, f), dst)
    os.makedirs(os.path.join(folder, 'history'), exist_ok=True)
    shutil.copy(os.path.join(TRAINED, 'cnn', 'history.json'), os.path.join(folder, 'history', 'cnn.json'))


def place_models(folder, model, reinit, fmt):
    """Copies the trained model(s) and history into an example, as TF.js or ONNX."""
    if not TRAINED:
        return
    for name, target in [(model, 'mlp'), (reinit, 'mlp-he')]:
        if not name:
            continue
        src = os.path.join(TRAINED, name)
        os.makedirs(os.path.join(folder, 'models'), exist_ok=True)
        if fmt == 'onnx':
            subprocess.run(['/usr/bin/python3', os.path.join(os.path.dirname(__file__), 'export_onnx.py'), src, os.path.join(folder, 'models', target + '.onnx')], check=True)
        else:
            dst = os.path.join(folder, 'models', target)
            os.makedirs(dst, exist_ok=True)
            for f in ['model.json', 'weights.bin', 'card.json']:
                shutil.copy(os.path.join(src, f), dst)
    os.makedirs(os.path.join(folder, 'history'), exist_ok=True)
    shutil.copy(os.path.join(TRAINED, model, 'history.json'), os.path.join(folder, 'history', 'mlp.json'))


def write(name, doc, raw=None, xavier=None, kaiming=None, run=True, models=None, notebook_name=None, extra=None, dtype='<f4'):
    folder = os.path.join(ROOT, name)
    # Models are kept unless new ones are given: they come from training, not from here.
    for entry in os.listdir(folder) if os.path.isdir(folder) else []:
        path = os.path.join(folder, entry)
        if entry not in ('models', 'history') or TRAINED:
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    os.makedirs(folder, exist_ok=True)
    if models:
        place_models(folder, *models)
    with open(os.path.join(folder, 'hw2.json'), 'w') as f:
        f.write(raw if raw is not None else json.dumps(doc, indent=1) + '\n')
    if doc is not None and 'q3' in doc['answers']:
        ids = doc['group']['ids']
        with open(os.path.join(folder, notebook_name or 'ee046211_hw2_%s.ipynb' % '_'.join(ids)), 'w') as f:
            json.dump(notebook(doc, run), f, indent=1)
    for file, text in (extra or {}).items():
        with open(os.path.join(folder, file), 'w') as f:
            f.write(text)
    if doc is not None and 'task1' in doc['answers']:
        rng = random.Random(name)
        # Each sample as hw2.json names it: file, fan_in, fan_out (a (fan_out, fan_in) array, as torch lays out weights).
        for s in doc['answers']['task1'].get('samples', []):
            draw = {'xavier': xavier or xavier_uniform, 'kaiming': kaiming or kaiming_normal}[s['init']](rng)
            write_npy(os.path.join(folder, s['file']), s['fanOut'], s['fanIn'], draw, dtype)


def flawed(change, keep_task2=False):
    doc = copy.deepcopy(correct())
    if not keep_task2:
        # Only the Task 2 examples carry models (they are the large files); the rest leave Task 2 out.
        del doc['answers']['task2']
    change(doc['answers'])
    return doc


doc = correct()
doc['answers']['task3'] = task3()
write('correct', doc, models=task2()[1:])
place_cnns(os.path.join(ROOT, 'correct'))
write('flawed-q2-sign-error-w3', flawed(lambda a: a.update(q2=q2(sign_flip='w3'))))
write('flawed-q2-forward-without-hidden-bias', flawed(lambda a: a.update(q2=q2(no_hidden_bias=True))))
write('flawed-q2-mse-without-half', flawed(lambda a: a.update(q2=q2(loss_factor=2.0))))
write('flawed-q3-types-swapped', flawed(lambda a: [a['q3']['a'].update(type='epoch-wise'), a['q3']['b'].update(type='model-wise')]))
write('flawed-q4-variance-for-sigma', flawed(lambda a: a['q4'].update(sigma='2/d')))
write('flawed-q5-constraints-swapped', flawed(lambda a: a['q5'].update(reversal=a['q5']['complement'])))
write('flawed-q6-vgg-without-biases', flawed(lambda a: a.update(q6=vgg(biases=False))))
write('flawed-q6-fc-input-without-last-pool', flawed(lambda a: a.update(q6=vgg(last_pool=False))))
write('flawed-task1-nan-layer-off-by-far', flawed(lambda a: a['task1'].update(nanLayer=3)))
write('flawed-task1-no-tanh-in-item4', flawed(lambda a: a['task1'].update(tanh={'mean': 0.012, 'std': 0.98})))
write('flawed-task1-xavier-from-normal', flawed(lambda a: None),
      xavier=lambda rng: (lambda: rng.gauss(0, math.sqrt(2 / (FAN_IN + FAN_OUT)))))
write('flawed-task1-kaiming-fan-out', flawed(lambda a: None),
      kaiming=lambda rng: kaiming_normal(rng, fan=FAN_OUT))
write('flawed-task1-kaiming-variance-as-std', flawed(lambda a: None),
      kaiming=lambda rng: (lambda: rng.gauss(0, 2 / FAN_IN)))
write('flawed-notebook-not-run', flawed(lambda a: None), run=False)
t2, *m = task2('mlp-mid3', reinit='mlp-mid', example='flawed-task2-accuracy-between-85-and-89')
write('flawed-task2-accuracy-between-85-and-89', flawed(lambda a: a.update(task2=t2), keep_task2=True), models=m)
t2, *m = task2('mlp-weak', reinit='mlp-mid', example='flawed-task2-accuracy-below-85')
write('flawed-task2-accuracy-below-85', flawed(lambda a: a.update(task2=t2), keep_task2=True), models=m)
t2, *m = task2('mlp-good2', reinit='mlp-mid', claim=0.93, example='flawed-task2-claim-lies-about-accuracy')
write('flawed-task2-claim-lies-about-accuracy', flawed(lambda a: a.update(task2=t2), keep_task2=True), models=m)
t2, *m = task2(fmt='onnx')
write('pytorch-onnx-pair', flawed(lambda a: a.update(task2=t2, task3=task3(fmt='onnx')), keep_task2=True), models=m)
place_cnns(os.path.join(ROOT, 'pytorch-onnx-pair'), fmt='onnx')
write('broken-hw2-json-not-json', None, raw=json.dumps(correct(), indent=1)[:900] + '\n  "oops": ,\n}\n')
half = correct()
half['answers'] = {'q1': half['answers']['q1'], 'q2': {'forward': half['answers']['q2']['forward']}}
write('half-empty', half)

# The TypeScript pair: hw2.json without Q5's arrays and Task 1's samples; solution.ts
# gives those as functions (kept by hand in solutions/typescript-pair/*.ts).
ts = correct()
del ts['answers']['q5']['reversal'], ts['answers']['q5']['complement'], ts['answers']['task1']['samples'], ts['answers']['task2']
ts['group'] = {'ids': ['345678912', '456789123'], 'names': ['Dana Mizrahi', 'Yossi Peretz']}
folder = os.path.join(ROOT, 'typescript-pair')
os.makedirs(folder, exist_ok=True)
with open(os.path.join(folder, 'hw2.json'), 'w') as f:
    f.write(json.dumps(ts, indent=1) + '\n')
with open(os.path.join(folder, 'ee046211_hw2_%s.ipynb' % '_'.join(ts['group']['ids'])), 'w') as f:
    json.dump(notebook(ts), f, indent=1)

# One flawed example for each automatic check that had none (issue 14). Each makes one
# mistake a pair makes; the Task 2 and Task 3 ones carry only what their check reads (a
# history alone, or one model), since the models are the large files.
CORRECT_DIR = os.path.join(ROOT, 'correct')


def copy_from_correct(folder, models=(), histories=()):
    """Copies models (TF.js folders) and histories from `correct`, whose files come from training."""
    for name in models:
        dst = os.path.join(folder, 'models', name)
        os.makedirs(dst, exist_ok=True)
        for f in ['model.json', 'weights.bin', 'card.json']:
            shutil.copy(os.path.join(CORRECT_DIR, 'models', name, f), dst)
    for name in histories:
        os.makedirs(os.path.join(folder, 'history'), exist_ok=True)
        shutil.copy(os.path.join(CORRECT_DIR, 'history', name), os.path.join(folder, 'history', name))


def write_history(folder, name, rows):
    os.makedirs(os.path.join(folder, 'history'), exist_ok=True)
    with open(os.path.join(folder, 'history', name), 'w') as f:
        f.write(json.dumps(rows, indent=1) + '\n')


def untrained_cnn(folder):
    """The CNN as it was before training (a checkpoint saved before the training loop ran):
    correct's model.json, weights drawn as the layers' initializers draw them (He normal
    kernels, zero biases), seeded."""
    dst = os.path.join(folder, 'models', 'cnn')
    os.makedirs(dst, exist_ok=True)
    shutil.copy(os.path.join(CORRECT_DIR, 'models', 'cnn', 'model.json'), dst)
    spec = json.load(open(os.path.join(dst, 'model.json')))
    rng = random.Random(211)
    with open(os.path.join(dst, 'weights.bin'), 'wb') as f:
        for w in spec['weightsManifest'][0]['weights']:
            shape = w['shape']
            count = 1
            for d in shape:
                count *= d
            if w['name'].endswith('/bias'):
                f.write(struct.pack('<%df' % count, *([0.0] * count)))
            else:
                fan_in = count // shape[-1]
                sd = math.sqrt(2 / fan_in)
                f.write(struct.pack('<%df' % count, *(rng.gauss(0, sd) for _ in range(count))))


def cnn_params(biases=True):
    """The CNN's parameter count read off its weight manifest (biases = the 1-D entries)."""
    spec = json.load(open(os.path.join(CORRECT_DIR, 'models', 'cnn', 'model.json')))
    total = 0
    for w in spec['weightsManifest'][0]['weights']:
        if biases or len(w['shape']) > 1:
            total += math.prod(w['shape'])
    return total


def task3_cnn_only():
    """Task 3 with the first CNN and its history, no augmented CNN (item 5 left out)."""
    t3 = task3()
    for key in ('augmentedModel', 'augmentation'):
        del t3[key]
    del t3['claimed']['augmentedTestAccuracy']
    return t3


def flawed_cnn(name, change, untrained=False):
    t3 = task3_cnn_only()
    change(t3)
    write(name, flawed(lambda a: a.update(task3=t3)))
    folder = os.path.join(ROOT, name)
    if untrained:
        untrained_cnn(folder)
        copy_from_correct(folder, histories=['cnn.json'])
    else:
        copy_from_correct(folder, models=['cnn'], histories=['cnn.json'])


# Q2–Q6
write('flawed-q2-update-step-along-gradient', flawed(lambda a: a.update(q2=q2(step=-1))))
write('flawed-q3-critical-sample-wise-decade-off', flawed(lambda a: a['q3']['c'].update(criticalPoint=1000)))
write('flawed-q4-expectation-second-moment-of-z', flawed(lambda a: a['q4'].update(expectation=1)))
write('flawed-q5-invariances-sign-flip-named', flawed(lambda a: a['q5'].update(invariances=['hidden-permutation', 'positive-rescaling', 'sign-flip'])))
# C, T, G, A paired as j <-> 3 - j (C-A, T-G) instead of j <-> (j + 2) mod 4 (C-G, T-A).
write('flawed-q5-complement-bases-paired-in-reverse',
      flawed(lambda a: a['q5'].update(complement=q5_params(3, random.Random(212), lambda j, i: (3 - j, i)))))
write('flawed-q5-scale-effect-depends-on-c', flawed(lambda a: a['q5'].update(scaleEffect='depends-on-c')))
# The total summed over the table without its last row (FC-1000); the table itself is right.
write('flawed-q6-total-without-fc1000', flawed(lambda a: a['q6'].update(total=vgg()['total'] - vgg()['rows'][-2]['params'])))
# FC-1000 taken for "the classifier", not an FC layer: the share counts the two FC-4096 only.
write('flawed-q6-fc-share-without-fc1000', flawed(lambda a: a['q6'].update(fcWeightPercent=vgg(share_without_last_fc=True)['fcWeightPercent'])))

# Task 1 printed values
# sqrt((1/10000) Σ (1/N) Σ y_j²) without its outer sqrt: the mean square, ≈ N = 512.
write('flawed-task1-products-variance-for-std', flawed(lambda a: a['task1'].update(products={'mean': 0.0095, 'std': 511.7, 'sqrtN': 22.627})))
# Scaled by 1/N instead of 1/sqrt(N): each layer shrinks the scale by sqrt(512)/512 ≈ 0.044,
# float32 underflows to 0 before layer 100.
write('flawed-task1-scaled-by-1-over-n', flawed(lambda a: a['task1'].update(scaled={'mean': 0.0, 'std': 0.0})))
# Item 5's loop copied from item 3 without tanh: Xavier keeps the variance of a linear layer
# (512 · 2/1024 = 1), so the std stays near 1.
write('flawed-task1-xavier-tanh-without-tanh', flawed(lambda a: a['task1'].update(xavierTanh={'mean': -0.031, 'std': 0.93})))
# Item 6's loop called xavier_init: the printed values are Xavier with ReLU's, which vanish.
write('flawed-task1-kaiming-relu-ran-xavier', flawed(lambda a: a['task1'].update(kaimingRelu=dict(TASK1['xavierRelu']))))

# Task 2
# Item 3's path names the first model: both are the same file (the retrained one saved
# under the first one's name, or never saved). One MLP, the one in `correct`.
t2 = task2()[0]
t2['reinitModel'] = copy.deepcopy(t2['model'])
write('flawed-task2-reinit-same-file', flawed(lambda a: a.update(task2=t2), keep_task2=True))
copy_from_correct(os.path.join(ROOT, 'flawed-task2-reinit-same-file'), models=['mlp'], histories=['mlp.json'])
# Architecture and hyper-parameters written down without the batch size (no model: the
# description is what this example is about).
t2 = task2()[0]
hyper = {k: v for k, v in t2['hyperparameters'].items() if k not in ('batchSize', 'phases')}
write('flawed-task2-description-no-batch-size', flawed(lambda a: a.update(task2={'architecture': t2['architecture'], 'hyperparameters': hyper}), keep_task2=True))
# The logged loss is a running sum never reset between epochs: each epoch adds its mean loss
# to the last, so the curve rises although the model trained well (no model here).
mlp_history = json.load(open(os.path.join(CORRECT_DIR, 'history', 'mlp.json')))
running, total = [], 0.0
for row in mlp_history:
    total += row['loss']
    running.append({'epoch': row['epoch'], 'loss': round(total, 4), 'accuracy': row['accuracy']})
write('flawed-task2-curves-running-loss-not-reset', flawed(lambda a: a.update(task2={'history': 'history/mlp.json'}), keep_task2=True))
write_history(os.path.join(ROOT, 'flawed-task2-curves-running-loss-not-reset'), 'mlp.json', running)

# Task 3
# The checkpoint was saved before the training loop ran: the CNN file holds its initial weights.
flawed_cnn('flawed-task3-accuracy-model-saved-before-training', lambda t3: None, untrained=True)
# The values items 2 and 4 ask to print, one mistake each (each check reads its own field, and
# none of them depends on the weights, so one CNN carries the three): the parameter count
# without the biases (16 + 32 + 64 + 10); the output written as one predicted label, not the
# model's 10 class scores; noise accuracies printed for a = 0.05, 0.01 and 0.001 (a typo for 0.005).
flawed_cnn('flawed-task3-params-no-biases-dims-one-label-noise-wrong-a', lambda t3: [
    t3['claimed'].update(params=cnn_params(biases=False)),
    t3.update(outputShape=[1]),
    t3['claimed'].update(noise=[{'a': 0.05, 'accuracy': 0.9871}, {'a': 0.01, 'accuracy': 0.9913}, {'a': 0.001, 'accuracy': 0.9922}])])
# Item 5 described and its accuracy printed, but the retrained CNN not handed in (no models).
t3 = task3()
write('flawed-task3-augmentation-model-not-submitted', flawed(lambda a: a.update(task3={
    'claimed': {'augmentedTestAccuracy': t3['claimed']['augmentedTestAccuracy']}, 'augmentation': t3['augmentation']})))
# A learning rate too high: the loss sticks at ln 10 ≈ 2.30 (chance for 10 classes) and
# creeps up; only the history is handed in.
write('flawed-task3-curves-stuck-at-chance', flawed(lambda a: a.update(task3={'history': 'history/cnn.json'})))
write_history(os.path.join(ROOT, 'flawed-task3-curves-stuck-at-chance'), 'cnn.json', [
    {'epoch': e + 1, 'loss': loss, 'accuracy': acc} for e, (loss, acc) in
    enumerate([(2.2412, 0.1712), (2.2987, 0.1284), (2.3031, 0.1079), (2.3046, 0.1052), (2.3049, 0.1041), (2.3052, 0.1037)])])

# Submission rules
# Colab's "Save a copy in Drive" prefix left on the notebook's name.
write('flawed-rules-filename-copy-of-prefix', flawed(lambda a: None),
      notebook_name='Copy of ee046211_hw2_123456782_234567891.ipynb')
# The answers PDF handed in as Colab's "Print to PDF" names it, not as the course's pattern.
write('flawed-rules-pdfname-print-default-name', flawed(lambda a: None), extra={
    'answers (1).pdf': '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'})
# Colab's "Download .py" export left next to the notebook.
write('flawed-rules-filetypes-py-export-left', flawed(lambda a: None), extra={
    'ee046211_hw2_123456782_234567891.py': '# -*- coding: utf-8 -*-\n"""ee046211_hw2_123456782_234567891.ipynb\n\nAutomatically generated by Colab.\n"""\n\nimport torch\ntorch.manual_seed(211)\n'})

# Issue 15: an example for each class of what the grader got wrong (flawed, or a correct variant
# that must score exactly as `correct` does on what it hands in).
# Class 1, points for non-answers: every gradient written as 0 and the initial weights copied as "updated".
write('flawed-q2-zero-gradients-copied-weights', flawed(lambda a: a['q2'].update(
    gradients={k: 0 for k in q2()['gradients']}, updated={k: v for k, v in dict(w1=.1, w2=.2, w3=.3, w4=.4, w5=.5, w6=.6, w7=.7, w8=.8, w9=.9, w10=.1).items()})))
# Class 2, a statistical check without power: xavier_init(16, 8) saved, 128 values of the right
# distribution, too few to tell it from the mistakes the check names.
def small_xavier(a):
    a['task1']['samples'][0] = {'init': 'xavier', 'fanIn': 16, 'fanOut': 8, 'file': 'xavier_16_8.npy'}
write('flawed-task1-xavier-sample-too-small', flawed(small_xavier), xavier=lambda rng: xavier_uniform(rng, 16, 8))
# Class 3, rounding: the hidden layer's gradients backpropagated through the already-updated
# w7–w10 (0.13–0.25% off), and the step taken with them; and a correct pair writing every hand
# computation at 4 significant digits, sqrt(N) as 22.63 and σ with sqrt(2) rounded to 1.4142.
write('flawed-q2-hidden-gradients-with-updated-weights', flawed(lambda a: a.update(q2=q2(hidden_with_updated=True))))
def rounded(a):
    a['q2'] = q2(digits=4)
    a['q4']['sigma'] = '1.4142/sqrt(d)'
    a['task1']['products']['sqrtN'] = 22.63
write('correct-rounded-4-digits', flawed(rounded))
# Class 4, dtype: correct Xavier and Kaiming samples saved as float16 (np.float16(w)).
write('correct-float16-samples', flawed(lambda a: None), dtype='<f2')
# Class 5, table alignment: the SOFTMAX row left out; and the first FC's fan-in taken as the 512
# channels (a count 100 M short), with the total and the share summed from that table.
write('flawed-q6-table-without-softmax-row', flawed(lambda a: a['q6'].update(rows=vgg()['rows'][:-1])))
write('flawed-q6-fc-fan-in-channels-only', flawed(lambda a: a.update(q6=vgg(fc_fan_in_channels=True))))
# Class 6, over-constrained: reversal parameters with every weight of a hidden unit equal (invariant
# to reversal, and to everything else, so the unit sees only the sum of X).
def all_tied(d, rng):
    W1 = [[(lambda v: [[v] * d for _ in range(4)])(round(rng.gauss(0, 1), 4)) for _ in range(d)] for _ in range(4)]
    return {'W1': W1, 'W2': [[round(rng.gauss(0, 1), 4) for _ in range(d)] for _ in range(4)]}
write('flawed-q5-over-constrained', flawed(lambda a: a['q5'].update(reversal=all_tied(3, random.Random(213)))))
