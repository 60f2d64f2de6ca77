// SPDX-License-Identifier: GPL-3.0-or-later
// Errors as values: what core/ returns instead of throwing across its API.
#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace runlens {

struct Failure {
    QString message; // one sentence a user can act on
};

template <class T> class Result {
public:
    Result(T value)
        : data_(std::move(value))
    {
    }
    Result(Failure failure)
        : data_(std::move(failure))
    {
    }

    bool ok() const { return std::holds_alternative<T>(data_); }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<T>(data_); }
    const T& value() const { return std::get<T>(data_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const QString& error() const { return std::get<Failure>(data_).message; }

private:
    std::variant<T, Failure> data_;
};

} // namespace runlens
