#include "io/toml_guard.hpp"

#include <fmt/format.h>

namespace faultline {

std::optional<TomlGuardProblem> toml_guard(std::string_view text) {
  enum class In { code, comment, basic, literal, multi_basic, multi_literal };
  In in = In::code;
  int line = 1, column = 1;
  // The last character of code that was not a space or a tab ('\n' at the start of a line). A string
  // can only begin after one of "=[{,." or at the start of a line; a quote anywhere else does not
  // begin a string for the parser either, which scans on through it for the end of a value.
  char last_code = '\n';
  auto starts = [&](std::size_t i, std::string_view token) { return text.substr(i, token.size()) == token; };
  auto non_ascii_at = [&](std::size_t i, std::string_view what) {
    std::size_t end = i + 1;  // the whole character, for the message
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    return TomlGuardProblem{line, column, fmt::format("non-ASCII character '{}' {}", text.substr(i, end - i), what)};
  };
  // Where a backslash in a multi-line string is followed, at once or after a line-ending backslash's
  // whitespace, by a non-ASCII character: toml++ 3.3 misreads that character.
  auto non_ascii_after_backslash = [&](std::size_t i) -> std::optional<std::size_t> {
    std::size_t k = i + 1;
    while (k < text.size() && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' || text[k] == '\n')) ++k;
    if (k == text.size() || static_cast<unsigned char>(text[k]) < 0x80) return std::nullopt;
    return k;
  };
  auto advance_position = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to && k < text.size(); ++k) {
      if (text[k] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) {
        ++column;
      }
    }
  };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t step = 1;
    switch (in) {
      case In::code: {
        if (c >= 0x80)
          return non_ascii_at(i, "outside a string: bare keys may use A-Z a-z 0-9 _ - only; quote the key "
                                 "(\"...\" = ...)");
        const bool string_may_start = std::string_view("=[{,.\n").find(last_code) != std::string_view::npos;
        if (c == '#') in = In::comment;
        else if (string_may_start && starts(i, "\"\"\"")) in = In::multi_basic, step = 3;
        else if (string_may_start && starts(i, "'''")) in = In::multi_literal, step = 3;
        else if (string_may_start && c == '"') in = In::basic;
        else if (string_may_start && c == '\'') in = In::literal;
        else if (c != ' ' && c != '\t' && c != '\r') last_code = char(c);
        break;
      }
      case In::comment:
        if (c == '\n') in = In::code, last_code = '\n';
        break;
      case In::basic:
        if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') step = 2;
        else if (c == '"' || c == '\n') in = In::code, last_code = char(c);  // unterminated: the parser says so
        break;
      case In::literal:
        if (c == '\'' || c == '\n') in = In::code, last_code = char(c);
        break;
      case In::multi_basic:
        if (c == '\\') {
          if (const auto k = non_ascii_after_backslash(i)) {
            advance_position(i, *k);
            if (*k == i + 1)
              return non_ascii_at(*k, "right after a backslash in a multi-line string: that is no escape, and "
                                      "toml++ 3.3 misreads it there; escape the backslash (\\\\) or use \\uXXXX");
            return non_ascii_at(*k, "right after a line-ending backslash in a multi-line string: toml++ 3.3 "
                                    "misreads it there; end the line without the backslash");
          }
          if (i + 1 < text.size() && text[i + 1] != '\n') step = 2;
        } else if (starts(i, "\"\"\"")) {
          in = In::code, step = 3, last_code = '"';
        }
        break;
      case In::multi_literal:
        if (starts(i, "'''")) in = In::code, step = 3, last_code = '\'';
        break;
    }
    advance_position(i, i + step);
    i += step;
  }
  return std::nullopt;
}

}  // namespace faultline
