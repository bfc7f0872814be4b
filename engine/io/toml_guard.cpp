#include "io/toml_guard.hpp"

#include <fmt/format.h>

namespace faultline {

std::optional<TomlGuardProblem> toml_guard(std::string_view text) {
  enum class In { code, comment, basic, literal, multi_basic, multi_literal };
  In in = In::code;
  int line = 1, column = 1;
  auto starts = [&](std::size_t i, std::string_view token) { return text.substr(i, token.size()) == token; };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t step = 1;
    switch (in) {
      case In::code:
        if (c >= 0x80) {
          std::size_t end = i + 1;  // the whole character, for the message
          while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
          return TomlGuardProblem{
              line, column,
              fmt::format("non-ASCII character '{}' outside a string: bare keys may use A-Z a-z 0-9 _ - only; "
                          "quote the key (\"...\" = ...)",
                          text.substr(i, end - i))};
        }
        if (c == '#') in = In::comment;
        else if (starts(i, "\"\"\"")) in = In::multi_basic, step = 3;
        else if (starts(i, "'''")) in = In::multi_literal, step = 3;
        else if (c == '"') in = In::basic;
        else if (c == '\'') in = In::literal;
        break;
      case In::comment:
        if (c == '\n') in = In::code;
        break;
      case In::basic:
        if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') step = 2;
        else if (c == '"' || c == '\n') in = In::code;  // an unterminated string: the parser says so
        break;
      case In::literal:
        if (c == '\'' || c == '\n') in = In::code;
        break;
      case In::multi_basic:
        if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') step = 2;
        else if (starts(i, "\"\"\"")) in = In::code, step = 3;
        break;
      case In::multi_literal:
        if (starts(i, "'''")) in = In::code, step = 3;
        break;
    }
    for (std::size_t k = i; k < i + step && k < text.size(); ++k) {
      if (text[k] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    i += step;
  }
  return std::nullopt;
}

}  // namespace faultline
