// Field bindings for the schema table's rows: `row("service[].workers", T::integer)...into(to(&Service::workers))`
// says in the row itself which scenario field the key is read into, so TableReader::fill reads it
// with the row's type, bounds and default and no hand-written line repeats the key. Not a public
// header: the schema_*.cpp files that hold the rows include it.
#pragma once

#include "io/schema.hpp"
#include "io/table_reader.hpp"
#include "scenario/distribution.hpp"
#include "scenario/status.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace faultline::binding {

template <class M>
struct is_optional : std::false_type {};
template <class M>
struct is_optional<std::optional<M>> : std::true_type {};

// The row types a member of type M can be read from.
template <class M>
std::vector<ValueType> accepted() {
  using T = ValueType;
  if constexpr (is_optional<M>::value) return accepted<typename M::value_type>();
  else if constexpr (std::is_same_v<M, bool>) return {T::boolean};
  else if constexpr (std::is_same_v<M, std::string>) return {T::string, T::name, T::choice};
  else if constexpr (std::is_same_v<M, std::vector<std::string>>) return {T::name_list, T::string_list};
  else if constexpr (std::is_same_v<M, Distribution>) return {T::distribution};
  else if constexpr (std::is_same_v<M, Status>) return {T::status};
  else if constexpr (std::is_integral_v<M>) return {T::integer};
  else if constexpr (std::is_floating_point_v<M>) return {T::number, T::duration};  // Seconds is a double
  else static_assert(sizeof(M) == 0, "no reading for this member type; an enumeration needs its names");
}

// Reads `key` as `type` into `out`; false (out untouched) when there is nothing to read.
template <class M>
bool read(TableReader& t, std::string_view key, ValueType type, M& out) {
  if constexpr (is_optional<M>::value) {
    typename M::value_type v{};
    if (!read(t, key, type, v)) return false;
    out = std::move(v);
    return true;
  } else {
    auto assign = [&out](auto&& v) {
      if (!v) return false;
      out = static_cast<M>(*std::move(v));
      return true;
    };
    if constexpr (std::is_same_v<M, bool>) return assign(t.boolean(key));
    else if constexpr (std::is_same_v<M, std::string>) return assign(t.text(key));
    else if constexpr (std::is_same_v<M, std::vector<std::string>>) return assign(t.list(key));
    else if constexpr (std::is_same_v<M, Distribution>) return assign(t.distribution(key));
    else if constexpr (std::is_same_v<M, Status>) return assign(t.status(key));
    else if constexpr (std::is_integral_v<M>) return assign(t.integer(key));
    else if constexpr (std::is_floating_point_v<M>)
      return type == ValueType::duration ? assign(t.duration(key)) : assign(t.number(key));
  }
}

// A choice read into an enumeration member, each name with its enumerator.
template <class Owner, class E>
FieldBinding choice(E Owner::*member, std::vector<std::pair<std::string_view, E>> names) {
  FieldBinding b;
  b.owner = typeid(Owner);
  b.accepts = {ValueType::choice};
  for (const auto& n : names) b.choices.push_back(n.first);
  b.read = [member, names = std::move(names)](TableReader& t, std::string_view key, ValueType, void* object) {
    const std::optional<std::string> v = t.text(key);
    if (!v) return false;
    for (const auto& [name, e] : names)
      if (name == *v) {
        static_cast<Owner*>(object)->*member = e;
        return true;
      }
    return false;  // not reached: text() accepts only the row's choices
  };
  return b;
}

}  // namespace faultline::binding

namespace faultline {

// A key read into `member` of the struct its table describes.
template <class Owner, class M>
FieldBinding to(M Owner::*member) {
  FieldBinding b;
  b.owner = typeid(Owner);
  b.accepts = binding::accepted<M>();
  b.read = [member](TableReader& t, std::string_view key, ValueType type, void* object) {
    return binding::read(t, key, type, static_cast<Owner*>(object)->*member);
  };
  return b;
}

// A choice read into an enumeration member: each name with its enumerator, in documentation order
// (the names become the row's choices).
template <class Owner, class E>
  requires std::is_enum_v<E>
FieldBinding to(E Owner::*member, std::initializer_list<std::pair<std::string_view, E>> names) {
  return binding::choice(member, std::vector<std::pair<std::string_view, E>>(names));
}

// The same for an enumeration that has its names already (a `to_string(E)` in scenario/scenario.hpp):
// its enumerators in documentation order.
template <class Owner, class E>
  requires std::is_enum_v<E> && requires(E e) { to_string(e); }
FieldBinding to(E Owner::*member, std::initializer_list<E> values) {
  std::vector<std::pair<std::string_view, E>> names;
  for (E e : values) names.emplace_back(to_string(e), e);
  return binding::choice(member, std::move(names));
}

}  // namespace faultline
