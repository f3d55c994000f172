#include <cstdio>

int main() {
  std::puts("fhir837: under construction");
  return 0;
}
