// SPDX-License-Identifier: MIT
// A small real training program: binary classification of the Breast Cancer
// Wisconsin data with a one-hidden-layer MLP (ReLU, sigmoid output, SGD with
// momentum), logging through the Runlens C++ API.
//
//   train_mlp --store runs.db [--lr 0.05] [--hidden 16] [--batch 32] [--epochs 40] [--seed 1]
//   train_mlp --store runs.db --sweep        # 36 runs under one parent run
#include "runlens/runlens.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Dataset {
    std::vector<std::vector<double>> x;
    std::vector<int> y;
};

Dataset loadCsv(const std::string& path)
{
    // scikit-learn's layout: a header line "n,features,names...", then rows of
    // 30 features and the label.
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    Dataset d;
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::vector<double> row;
        for (std::string cell; std::getline(ss, cell, ',');)
            row.push_back(std::stod(cell));
        if (row.size() < 2)
            continue;
        d.y.push_back(static_cast<int>(row.back()));
        row.pop_back();
        d.x.push_back(std::move(row));
    }
    return d;
}

struct Split {
    Dataset train, val;
};

Split splitAndStandardise(const Dataset& all, unsigned seed)
{
    std::vector<size_t> order(all.x.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937 rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    Split s;
    const size_t nTrain = order.size() * 4 / 5;
    for (size_t i = 0; i < order.size(); ++i) {
        auto& part = i < nTrain ? s.train : s.val;
        part.x.push_back(all.x[order[i]]);
        part.y.push_back(all.y[order[i]]);
    }
    const size_t f = all.x[0].size();
    for (size_t j = 0; j < f; ++j) {
        double mean = 0, var = 0;
        for (const auto& r : s.train.x)
            mean += r[j];
        mean /= double(s.train.x.size());
        for (const auto& r : s.train.x)
            var += (r[j] - mean) * (r[j] - mean);
        const double sd = std::sqrt(var / double(s.train.x.size())) + 1e-12;
        for (auto* part : {&s.train, &s.val})
            for (auto& r : part->x)
                r[j] = (r[j] - mean) / sd;
    }
    return s;
}

struct Mlp {
    size_t in, hidden;
    std::vector<double> w1, b1, w2; // w1: hidden x in
    double b2 = 0;
    std::vector<double> vw1, vb1, vw2;
    double vb2 = 0;

    Mlp(size_t in_, size_t hidden_, std::mt19937& rng)
        : in(in_)
        , hidden(hidden_)
    {
        std::normal_distribution<double> n1(0, std::sqrt(2.0 / double(in))), n2(0, std::sqrt(1.0 / double(hidden)));
        w1.resize(hidden * in);
        for (auto& w : w1)
            w = n1(rng);
        b1.assign(hidden, 0);
        w2.resize(hidden);
        for (auto& w : w2)
            w = n2(rng);
        vw1.assign(w1.size(), 0);
        vb1.assign(hidden, 0);
        vw2.assign(hidden, 0);
    }

    // Returns the logit; fills the hidden activations.
    double forward(const std::vector<double>& x, std::vector<double>& h) const
    {
        h.resize(hidden);
        double z = b2;
        for (size_t k = 0; k < hidden; ++k) {
            double a = b1[k];
            for (size_t j = 0; j < in; ++j)
                a += w1[k * in + j] * x[j];
            h[k] = a > 0 ? a : 0;
            z += w2[k] * h[k];
        }
        return z;
    }
};

double sigmoid(double z)
{
    return 1.0 / (1.0 + std::exp(-z));
}

// Plain binary cross-entropy, as a textbook implementation writes it: a run
// whose logits blow up gets inf and then NaN, which is what we want to record.
double bce(double p, int y)
{
    return -(y ? std::log(p) : std::log(1 - p));
}

double auc(const std::vector<double>& scores, const std::vector<int>& labels)
{
    std::vector<size_t> idx(scores.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    double rankSum = 0;
    size_t pos = 0;
    for (size_t i = 0; i < idx.size();) {
        size_t j = i;
        while (j < idx.size() && scores[idx[j]] == scores[idx[i]])
            ++j;
        const double rank = (double(i + 1) + double(j)) / 2.0;
        for (size_t k = i; k < j; ++k)
            if (labels[idx[k]]) {
                rankSum += rank;
                ++pos;
            }
        i = j;
    }
    const size_t neg = labels.size() - pos;
    if (pos == 0 || neg == 0)
        return NAN;
    return (rankSum - double(pos) * double(pos + 1) / 2.0) / (double(pos) * double(neg));
}

struct Config {
    std::string store = "runlens.db";
    std::string experiment = "breast-cancer-mlp";
    std::string data;
    std::string parent;
    double lr = 0.05;
    size_t hidden = 16;
    size_t batch = 32;
    int epochs = 40;
    unsigned seed = 1;
    double momentum = 0.9;
};

// One training run; returns false when it diverged.
// What a data scientist looks at besides the curves: the validation set's
// confusion matrix (label 0 is malignant, 1 benign, as scikit-learn's copy
// of the data) and the first layer's weights as a picture, hidden units by
// features, red negative and blue positive; both logged as media at `step`.
void logPictures(runlens::Run& run, const Mlp& net, const std::vector<double>& scores, const std::vector<int>& y,
    int64_t step)
{
    std::vector<int64_t> counts(4, 0);
    for (size_t i = 0; i < scores.size(); ++i)
        ++counts[size_t(y[i] * 2 + (scores[i] >= 0.5 ? 1 : 0))];
    const std::vector<std::string> labels{"malignant", "benign"};
    run.logConfusionMatrix("val/confusion", labels, counts, step);

    constexpr int kCell = 8;
    const int width = int(net.in) * kCell, height = int(net.hidden) * kCell;
    double scale = 1e-9;
    for (double w : net.w1)
        scale = std::max(scale, std::abs(w));
    std::vector<uint8_t> pixels(size_t(width) * size_t(height) * 3);
    for (int py = 0; py < height; ++py)
        for (int px = 0; px < width; ++px) {
            const double w = net.w1[size_t(py / kCell) * net.in + size_t(px / kCell)] / scale;
            const auto fade = uint8_t(255.0 * (1.0 - std::min(1.0, std::abs(w))));
            uint8_t* p = &pixels[(size_t(py) * size_t(width) + size_t(px)) * 3];
            p[0] = w < 0 ? 255 : fade;
            p[1] = fade;
            p[2] = w < 0 ? fade : 255;
        }
    run.logImagePixels("weights/layer1", {width, height, 3, 0, pixels}, step, "hidden units × input features");
}

bool train(const Config& c, const Dataset& all)
{
    char name[96];
    std::snprintf(name, sizeof name, "mlp-h%zu-b%zu-lr%g-s%u", c.hidden, c.batch, c.lr, c.seed);
    runlens::RunOptions opts;
    opts.experiment = c.experiment;
    opts.name = name;
    opts.parent_id = c.parent;
    opts.hypothesis = "a wider hidden layer improves validation AUC";
    opts.tags = {{"model", "mlp"}, {"dataset", "breast_cancer"}};
    auto run = runlens::Run::start(c.store, opts);
    run.logParam("lr", c.lr);
    run.logParam("hidden", static_cast<int64_t>(c.hidden));
    run.logParam("batch_size", static_cast<int64_t>(c.batch));
    run.logParam("epochs", c.epochs);
    run.logParam("momentum", c.momentum);
    run.logParam("seed", static_cast<int64_t>(c.seed));
    run.logParam("activation", "relu");
    run.logSeed("seed", c.seed);
    run.logDataFile("breast_cancer", c.data);
    run.logDataVersion("split", "80/20 shuffled by seed");

    std::mt19937 rng(c.seed);
    const Split data = splitAndStandardise(all, c.seed);
    Mlp net(data.train.x[0].size(), c.hidden, rng);
    std::vector<size_t> order(data.train.x.size());
    std::iota(order.begin(), order.end(), 0);
    std::vector<double> h, gw1(net.w1.size()), gb1(net.hidden), gw2(net.hidden);
    int64_t step = 0;
    for (int epoch = 0; epoch < c.epochs; ++epoch) {
        std::shuffle(order.begin(), order.end(), rng);
        double epochLoss = 0;
        size_t correct = 0;
        for (size_t start = 0; start < order.size(); start += c.batch) {
            const size_t end = std::min(order.size(), start + c.batch);
            std::fill(gw1.begin(), gw1.end(), 0);
            std::fill(gb1.begin(), gb1.end(), 0);
            std::fill(gw2.begin(), gw2.end(), 0);
            double gb2 = 0, batchLoss = 0;
            for (size_t i = start; i < end; ++i) {
                const auto& x = data.train.x[order[i]];
                const int y = data.train.y[order[i]];
                const double p = sigmoid(net.forward(x, h));
                batchLoss += bce(p, y);
                correct += (p >= 0.5) == (y == 1);
                const double dz = p - y;
                gb2 += dz;
                for (size_t k = 0; k < net.hidden; ++k) {
                    gw2[k] += dz * h[k];
                    if (h[k] > 0) {
                        const double dh = dz * net.w2[k];
                        gb1[k] += dh;
                        for (size_t j = 0; j < net.in; ++j)
                            gw1[k * net.in + j] += dh * x[j];
                    }
                }
            }
            const double n = double(end - start);
            auto update = [&](std::vector<double>& w, std::vector<double>& v, const std::vector<double>& g) {
                for (size_t i = 0; i < w.size(); ++i) {
                    v[i] = c.momentum * v[i] - c.lr * g[i] / n;
                    w[i] += v[i];
                }
            };
            update(net.w1, net.vw1, gw1);
            update(net.b1, net.vb1, gb1);
            update(net.w2, net.vw2, gw2);
            net.vb2 = c.momentum * net.vb2 - c.lr * gb2 / n;
            net.b2 += net.vb2;
            const double loss = batchLoss / n;
            run.logMetric("train/loss", loss, step);
            epochLoss += batchLoss;
            ++step;
            if (std::isnan(loss)) {
                run.setTag("failure",
                    "loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at step "
                        + std::to_string(step - 1));
                run.setNotes("Diverged: the learning rate is too large for this network without clipping.");
                run.finish(runlens::RunStatus::Failed);
                return false;
            }
        }
        run.logMetric("train/epoch_loss", epochLoss / double(order.size()), step);
        run.logMetric("train/acc", double(correct) / double(order.size()), step);

        std::vector<double> scores;
        double valLoss = 0;
        size_t valCorrect = 0;
        for (size_t i = 0; i < data.val.x.size(); ++i) {
            const double p = sigmoid(net.forward(data.val.x[i], h));
            scores.push_back(p);
            valLoss += bce(p, data.val.y[i]);
            valCorrect += (p >= 0.5) == (data.val.y[i] == 1);
        }
        run.logMetric("val/loss", valLoss / double(scores.size()), step);
        run.logMetric("val/acc", double(valCorrect) / double(scores.size()), step);
        run.logMetric("val/auc", auc(scores, data.val.y), step);
        run.logMetric("epoch", epoch, step);
        if (epoch % 10 == 9 || epoch == c.epochs - 1)
            logPictures(run, net, scores, data.val.y, step);
    }
    run.finish(runlens::RunStatus::Finished);
    return true;
}

std::string defaultDataPath(const char* argv0)
{
#ifdef RUNLENS_EXAMPLE_DATA
    (void)argv0;
    return RUNLENS_EXAMPLE_DATA;
#else
    return std::string(argv0) + "/../../examples/data/breast_cancer.csv";
#endif
}

} // namespace

int main(int argc, char** argv)
{
    Config c;
    c.data = defaultDataPath(argv[0]);
    bool sweep = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "train_mlp: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--store")
            c.store = next();
        else if (a == "--experiment")
            c.experiment = next();
        else if (a == "--data")
            c.data = next();
        else if (a == "--lr")
            c.lr = std::stod(next());
        else if (a == "--hidden")
            c.hidden = std::stoul(next());
        else if (a == "--batch")
            c.batch = std::stoul(next());
        else if (a == "--epochs")
            c.epochs = std::stoi(next());
        else if (a == "--seed")
            c.seed = static_cast<unsigned>(std::stoul(next()));
        else if (a == "--sweep")
            sweep = true;
        else {
            std::fprintf(stderr,
                "usage: train_mlp --store PATH [--sweep] [--lr X] [--hidden N] [--batch N] "
                "[--epochs N] [--seed N] [--data CSV] [--experiment NAME]\n");
            return 2;
        }
    }
    try {
        const Dataset all = loadCsv(c.data);
        if (!sweep) {
            const bool ok = train(c, all);
            std::printf("%s\n", ok ? "finished" : "diverged");
            return 0;
        }
        runlens::RunOptions parentOpts;
        parentOpts.experiment = c.experiment;
        parentOpts.name = "sweep lr x hidden x batch x seed";
        parentOpts.notes = "Grid: lr {0.01, 0.1, 4.0} x hidden {4, 32} x batch {16, 64} x seed {1, 2, 3}.";
        auto parent = runlens::Run::start(c.store, parentOpts);
        int done = 0, diverged = 0;
        for (double lr : {0.01, 0.1, 4.0})
            for (size_t hidden : {4, 32})
                for (size_t batch : {16, 64})
                    for (unsigned seed : {1u, 2u, 3u}) {
                        Config rc = c;
                        rc.lr = lr;
                        rc.hidden = hidden;
                        rc.batch = batch;
                        rc.seed = seed;
                        rc.parent = parent.id();
                        diverged += train(rc, all) ? 0 : 1;
                        ++done;
                        parent.logMetric("sweep/runs_done", done, done);
                    }
        parent.logParam("runs", done);
        parent.finish(runlens::RunStatus::Finished);
        std::printf("sweep: %d runs, %d diverged, store %s\n", done, diverged, c.store.c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "train_mlp: %s\n", e.what());
        return 1;
    }
}
