#pragma once

#include <cstddef>
#include <cstdint>

// Fuzz target bodies, shared by the libFuzzer executables (fuzz/CMakeLists.txt) and the seed
// replay test (tests/fuzz/), so every seed in fuzz/corpus/<target>/ also runs as an ordinary test.
namespace fhir837::fuzz {

int fhirJson(const std::uint8_t* data, std::size_t size);
int fhirXml(const std::uint8_t* data, std::size_t size);
int ndjson(const std::uint8_t* data, std::size_t size);
int x12(const std::uint8_t* data, std::size_t size);
// The whole explain pipeline over one input document (assembler and coder included).
int convert(const std::uint8_t* data, std::size_t size);
// The daemon's intake of a request body (resource or Bundle; first byte: JSON or XML).
int serveIntake(const std::uint8_t* data, std::size_t size);
// A cluster stream message (envelope + body) as a partition's owner applies it.
int streamMessage(const std::uint8_t* data, std::size_t size);

}  // namespace fhir837::fuzz
