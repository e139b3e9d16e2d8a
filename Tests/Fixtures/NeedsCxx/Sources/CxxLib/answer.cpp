// The C++ a package brings, exercised through a C interface: containers,
// strings, iostreams and locales, threads and a mutex, exceptions across
// frames, shared_ptr, <random>'s engines, and <cctype> through std::locale.
// Every line it writes is the same on every libc.
#include "cxxlib.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <locale>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {
int thrower(int depth) {
    if (depth == 0) throw std::runtime_error("thrown 3 frames down");
    return thrower(depth - 1) + 1;
}
}

extern "C" int cxxlib_answer(void) { return 42; }

extern "C" int cxxlib_report(char *buffer, int size) {
    std::ostringstream out;
    std::vector<std::string> words{"musl", "glibc", "clang", "swift"};
    std::sort(words.begin(), words.end());
    std::map<std::string, size_t> lengths;
    for (const auto &w : words) lengths[w] = w.size();
    out << "sorted:";
    for (const auto &w : words) out << ' ' << w << '=' << lengths[w];
    out << '\n';

    std::atomic<int> counter{0};
    std::mutex mutex;
    long total = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; t++) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 1000; i++) {
                counter++;
                std::lock_guard<std::mutex> guard(mutex);
                total += t;
            }
        });
    }
    for (auto &th : threads) th.join();
    out << "threads: counter=" << counter.load() << " total=" << total << '\n';

    try {
        thrower(3);
        out << "exception: not thrown\n";
    } catch (const std::exception &e) {
        out << "exception: " << e.what() << '\n';
    }

    auto shared = std::make_shared<std::string>("shared");
    auto copy = shared;
    out << "shared_ptr: " << *copy << " use_count=" << shared.use_count() << '\n';

    std::mt19937 engine(12345);
    out << "mt19937(12345): " << engine() << ' ' << engine() << '\n';

    const std::locale classic = std::locale::classic();
    std::string text = "Hello, World 42!";
    int alpha = 0, digits = 0, punct = 0, upper = 0;
    for (char c : text) {
        alpha += std::isalpha(c, classic);
        digits += std::isdigit(c, classic);
        punct += std::ispunct(c, classic);
        upper += std::isupper(c, classic);
    }
    std::string shouted = text;
    std::use_facet<std::ctype<char>>(classic).toupper(&shouted[0], &shouted[0] + shouted.size());
    out << "ctype: alpha=" << alpha << " digit=" << digits << " punct=" << punct << " upper=" << upper
        << " toupper=" << shouted << '\n';

    out.precision(6);
    out << "math: sqrt(2)=" << std::sqrt(2.0) << " pow(2,0.5)=" << std::pow(2.0, 0.5) << '\n';
    const std::string s = out.str();
    return std::snprintf(buffer, size, "%s", s.c_str());
}
