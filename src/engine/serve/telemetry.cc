#include "engine/serve/telemetry.h"

namespace fhir837::serve {

Telemetry& noTelemetry() {
  static Telemetry none;
  return none;
}

}  // namespace fhir837::serve
