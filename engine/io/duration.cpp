#include "io/duration.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace faultline {

namespace {

struct Unit {
  std::string_view name;
  // Sub-second units scale by a decimal exponent so that "0.2ms" parses to the double nearest
  // 0.0002 rather than to 0.2 * 0.001, which differs in the last bit.
  std::string_view exponent;
  double multiplier;
};

constexpr std::array<Unit, 6> kUnits = {{
    {"us", "e-6", 1},
    {"ms", "e-3", 1},
    {"s", "", 1},
    {"m", "", 60},
    {"h", "", 3600},
    {"d", "", 86400},
}};

const Unit* find_unit(std::string_view name) {
  for (const Unit& u : kUnits)
    if (u.name == name) return &u;
  return nullptr;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::variant<Seconds, DurationError> parse_duration(std::string_view text) {
  const std::string quoted = fmt::format("\"{}\"", text);
  if (text.empty()) return DurationError{"empty duration; write a number with a unit, e.g. \"30s\""};
  std::size_t pos = 0;
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    pos = 1;
  }
  Seconds total = 0;
  while (pos < text.size()) {
    const std::size_t number_begin = pos;
    while (pos < text.size() && (is_digit(text[pos]) || text[pos] == '.')) ++pos;
    // A decimal exponent ("1e3s", "2.5E-2h") belongs to the number, not to the unit.
    std::size_t mantissa_end = pos;
    if (pos + 1 < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
      std::size_t p = pos + 1;
      if (text[p] == '+' || text[p] == '-') ++p;
      if (p < text.size() && is_digit(text[p])) {
        while (p < text.size() && is_digit(text[p])) ++p;
        pos = p;
      }
    }
    const std::string_view number = text.substr(number_begin, pos - number_begin);
    const std::string_view mantissa = text.substr(number_begin, mantissa_end - number_begin);
    const std::size_t unit_begin = pos;
    while (pos < text.size() && is_letter(text[pos])) ++pos;
    const std::string_view unit_name = text.substr(unit_begin, pos - unit_begin);

    if (mantissa.empty() || !is_digit(mantissa.front()) || !is_digit(mantissa.back()))
      return DurationError{fmt::format("{} is not a duration; write a number with a unit, e.g. \"30s\"", quoted)};
    if (unit_name.empty()) {
      if (pos == text.size())
        return DurationError{"durations need a unit, e.g. \"30s\""};
      return DurationError{fmt::format("{} is not a duration; write a number with a unit, e.g. \"30s\"", quoted)};
    }
    const Unit* unit = find_unit(unit_name);
    if (!unit)
      return DurationError{fmt::format("unknown duration unit '{}' in {}; units: us, ms, s, m, h, d", unit_name, quoted)};

    const std::string scaled = fmt::format("{}{}", number, unit->exponent);
    double value = 0;
    const bool exponent = mantissa.size() != number.size();
    const std::string& digits = exponent ? std::string(number) : scaled;  // an exponent and a unit's: scaled below
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec == std::errc::result_out_of_range) {
      const std::size_t e = digits.find_first_of("eE");
      const bool tiny = e != std::string::npos && e + 1 < digits.size() && digits[e + 1] == '-';
      return DurationError{tiny ? fmt::format("{} is too short to tell from zero", quoted)
                                : fmt::format("{} is too long", quoted)};
    }
    if (ec != std::errc() || end != digits.data() + digits.size())
      return DurationError{fmt::format("{} is not a duration; write a number with a unit, e.g. \"30s\"", quoted)};
    if (exponent && !unit->exponent.empty()) value *= std::pow(10.0, std::stod(std::string(unit->exponent.substr(1))));
    total += value * unit->multiplier;
  }
  if (!std::isfinite(total)) return DurationError{fmt::format("{} is too long", quoted)};
  return negative ? -total : total;
}

std::string format_duration(Seconds s) {
  if (s == 0) return "0s";
  struct Spelling {
    std::string_view unit;
    double seconds;
  };
  constexpr std::array<Spelling, 6> largest_first = {{
      {"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}}};
  for (const Spelling& sp : largest_first) {
    const double count = s / sp.seconds;
    if (std::fabs(count - std::round(count)) < 1e-9 * std::max(1.0, std::fabs(count)))
      return fmt::format("{}{}", std::llround(count), sp.unit);
  }
  return fmt::format("{}s", s);
}

}  // namespace faultline
