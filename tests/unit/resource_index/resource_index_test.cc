#include "engine/resource_index.h"

#include <gtest/gtest.h>

namespace fhir837 {
namespace {

constexpr std::string_view kNpi = "http://hl7.org/fhir/sid/us-npi";
constexpr std::string_view kWhere = "MedicationAdministration/ma1.performer[0].actor";

template <class T>
AnyResource make(std::string id, std::vector<Identifier> identifiers = {}) {
  T resource;
  resource.id = std::move(id);
  resource.identifier = std::move(identifiers);
  return AnyResource{std::move(resource)};
}

Reference ref(std::string reference, std::string type = {}) {
  Reference out;
  out.reference = std::move(reference);
  out.type = std::move(type);
  return out;
}

Error unresolved(std::string message) {
  return makeError(ErrorCode::kUnresolvedReference, std::move(message), std::string(kWhere));
}

// One transaction-style Bundle with every kind of fullUrl the corpus uses.
class ResourceIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MedicationAdministration ma;
    ma.id = "ma1";
    Medication contained;
    contained.id = "med1";
    ma.contained.push_back(AnyResource{contained});
    bundle_.entry = {
        {"http://a.example/fhir/MedicationAdministration/ma1", AnyResource{ma}, "", ""},
        {"http://a.example/fhir/Patient/1", make<Patient>("1"), "", ""},
        // Another server's Patient/1: a different patient (different content).
        {"http://b.example/fhir/Patient/1", make<Patient>("1", {Identifier{"", "urn:b", "B1", {}}}),
         "", ""},
        {"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0",
         make<Practitioner>("p1", {Identifier{"", std::string(kNpi), "9999949895", {}}}), "", ""},
        {"urn:oid:1.2.3.4", make<Organization>("o1", {Identifier{"", "urn:x", "42", {}}}), "", ""},
        {"", make<Organization>("o2", {Identifier{"", "urn:x", "42", {}}}), "", ""},
        {"", make<Practitioner>("p2", {Identifier{"", "urn:other", "9999949895", {}}}), "", ""},
        {"", std::nullopt, "DELETE", "Patient/9"},  // batch entries without a resource
    };
    index_ = ResourceIndex::fromBundle(bundle_);
  }

  const AnyResource& ma() const { return *bundle_.entry[0].resource; }
  const AnyResource* entry(std::size_t i) const { return &*bundle_.entry[i].resource; }
  Result<const AnyResource*> resolve(const Reference& r) const {
    return index_.resolve(r, ma(), kWhere);
  }

  Bundle bundle_;
  ResourceIndex index_;
};

TEST_F(ResourceIndexTest, IndexesEntriesWithResources) {
  EXPECT_EQ(index_.size(), 7u);
  EXPECT_EQ(index_.resources().front(), entry(0));
  EXPECT_EQ(index_.fullUrlOf(*entry(3)), "urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0");
  EXPECT_EQ(index_.fullUrlOf(ma().base().contained[0]), "");
}

TEST_F(ResourceIndexTest, RelativeUsesTheReferrersBaseFirst) {
  // Two Patient/1 on different servers: the one on the referrer's server wins.
  EXPECT_EQ(resolve(ref("Patient/1")).value(), entry(1));
  EXPECT_EQ(resolve(ref("Patient/1/_history/3")).value(), entry(1));
  EXPECT_EQ(resolve(ref("Practitioner/p1")).value(), entry(3));
  // From a resource that is not in the index there is no base to prefer.
  AnyResource stranger = make<Patient>("x");
  EXPECT_EQ(index_.resolve(ref("Patient/1"), stranger, kWhere).error(),
            unresolved("reference \"Patient/1\" matches 2 resources"));
}

// The same resource copied into several Bundles (or a Bundle and an NDJSON file) is one resource:
// only copies that differ are ambiguous.
TEST(ResourceIndexCopies, IdenticalCopiesAreOneResourceDifferentOnesAreAmbiguous) {
  Bundle bundle;
  bundle.entry = {{"", make<Organization>("o1", {Identifier{"", "urn:x", "1", {}}}), "", ""},
                  {"", make<Organization>("o1", {Identifier{"", "urn:x", "1", {}}}), "", ""},
                  {"", make<Organization>("o2"), "", ""},
                  {"", make<Organization>("o2", {Identifier{"", "urn:x", "2", {}}}), "", ""}};
  ResourceIndex index = ResourceIndex::fromBundle(bundle);
  const AnyResource from = make<Patient>("p");
  EXPECT_EQ(index.resolve(ref("Organization/o1"), from, kWhere).value(),
            &*bundle.entry[0].resource);
  EXPECT_EQ(index.resolve(ref("Organization?identifier=urn:x|1"), from, kWhere).value(),
            &*bundle.entry[0].resource);
  EXPECT_EQ(index.resolve(ref("Organization/o2"), from, kWhere).error(),
            unresolved("reference \"Organization/o2\" matches 2 resources"));
}

TEST_F(ResourceIndexTest, AbsoluteMatchesFullUrlThenTail) {
  EXPECT_EQ(resolve(ref("http://b.example/fhir/Patient/1")).value(), entry(2));
  EXPECT_EQ(resolve(ref("http://b.example/fhir/Patient/1/_history/2")).value(), entry(2));
  // The referrer's own server: the Type/id tail of an entry without a server URL.
  EXPECT_EQ(resolve(ref("http://a.example/fhir/Organization/o2")).value(), entry(5));
  EXPECT_EQ(resolve(ref("http://a.example/fhir/Practitioner/p1")).value(), entry(3));
  EXPECT_EQ(resolve(ref("https://c.example/")).error(),
            unresolved("reference \"https://c.example/\" matches no entry fullUrl"));
}

// Issue 9 §5: another server's Patient/x is not the local Patient/x (FHIR R4 Bundle §2.36.4.1).
TEST_F(ResourceIndexTest, AbsoluteToAnotherServerIsNotTheLocalTypeId) {
  EXPECT_EQ(resolve(ref("https://c.example/r4/Organization/o2")).error(),
            unresolved("reference \"https://c.example/r4/Organization/o2\" is on server "
                       "https://c.example/r4/, not the referrer's: no entry has that fullUrl, and "
                       "the local Organization/o2 is not that resource"));
  EXPECT_EQ(resolve(ref("http://elsewhere.example/fhir/Patient/1")).error(),
            unresolved("reference \"http://elsewhere.example/fhir/Patient/1\" is on server "
                       "http://elsewhere.example/fhir/, not the referrer's: no entry has that "
                       "fullUrl, and the local Patient/1 is not that resource"));
  // Patient/1 on a.example has a server URL of its own that is not the reference's.
  EXPECT_EQ(resolve(ref("http://a.example/fhir/Patient/404")).error(),
            unresolved("reference \"http://a.example/fhir/Patient/404\" matches no resource"));
  // A referrer that is no entry (an NDJSON line) has no server to compare: an entry without a
  // server URL is taken by its Type/id, one with another server's URL is not.
  AnyResource stranger = make<Patient>("x");
  EXPECT_EQ(index_.resolve(ref("http://a.example/fhir/Organization/o2"), stranger, kWhere).value(),
            entry(5));
  EXPECT_EQ(index_.resolve(ref("http://z.example/fhir/Patient/1"), stranger, kWhere).error(),
            unresolved("reference \"http://z.example/fhir/Patient/1\" is on server "
                       "http://z.example/fhir/, not the referrer's: no entry has that fullUrl, and "
                       "the local Patient/1 is not that resource"));
}

TEST_F(ResourceIndexTest, UrnFullUrls) {
  EXPECT_EQ(resolve(ref("urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0")).value(), entry(3));
  EXPECT_EQ(resolve(ref("urn:oid:1.2.3.4")).value(), entry(4));
  EXPECT_EQ(resolve(ref("urn:uuid:00000000-0000-0000-0000-000000000000")).error(),
            unresolved("reference \"urn:uuid:00000000-0000-0000-0000-000000000000\" matches no "
                       "resource"));
}

TEST_F(ResourceIndexTest, ContainedAndContainer) {
  EXPECT_EQ(resolve(ref("#med1")).value(), &ma().base().contained[0]);
  EXPECT_EQ(resolve(ref("#")).value(), &ma());
  EXPECT_EQ(resolve(ref("#med2")).error(),
            unresolved("contained reference \"#med2\" matches no resource contained in "
                       "MedicationAdministration/ma1"));
  // Contained resources are only visible from their container.
  EXPECT_EQ(index_.resolve(ref("#med1"), *entry(1), kWhere).error(),
            unresolved("contained reference \"#med1\" matches no resource contained in Patient/1"));
  EXPECT_EQ(resolve(ref("Medication/med1")).error(),
            unresolved("reference \"Medication/med1\" matches no resource"));
}

TEST_F(ResourceIndexTest, ConditionalByIdentifier) {
  EXPECT_EQ(
      resolve(ref("Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999949895")).value(),
      entry(3));
  EXPECT_EQ(
      resolve(
          ref("Practitioner?identifier=http%3A%2F%2Fhl7.org%2Ffhir%2Fsid%2Fus-npi%7C9999949895"))
          .value(),
      entry(3));
  EXPECT_EQ(resolve(ref("Practitioner?identifier=urn:other|9999949895")).value(), entry(6));
  // Without a system any system matches: here two Practitioners do.
  EXPECT_EQ(resolve(ref("Practitioner?identifier=9999949895")).error(),
            unresolved("conditional reference \"Practitioner?identifier=...\" matches 2 "
                       "resources"));
  EXPECT_EQ(resolve(ref("Organization?identifier=urn:x|42")).error(),
            unresolved("conditional reference \"Organization?identifier=urn:x|...\" matches 2 "
                       "resources"));
  EXPECT_EQ(
      resolve(ref("Organization?identifier=http://hl7.org/fhir/sid/us-npi|9999949895")).error(),
      unresolved("conditional reference "
                 "\"Organization?identifier=http://hl7.org/fhir/sid/us-npi|...\" matches no "
                 "resource"));
  EXPECT_EQ(resolve(ref("Patient?name=Chalmers")).error(),
            unresolved("conditional reference \"Patient?name=...\" is not supported (only "
                       "Type?identifier=[system|]value)"));
  EXPECT_EQ(resolve(ref("Practitioner?identifier=%ZZ")).error(),
            unresolved("conditional reference \"Practitioner?identifier=...\" is not supported "
                       "(only Type?identifier=[system|]value)"));
}

TEST_F(ResourceIndexTest, LogicalReferenceByIdentifierOnly) {
  Reference logical;
  logical.identifier = Identifier{"", std::string(kNpi), "9999949895", {}};
  EXPECT_EQ(resolve(logical).value(), entry(3));
  logical.identifier->system.clear();
  EXPECT_EQ(resolve(logical).error(),
            unresolved("logical reference (identifier system \"\") matches 2 resources"));
  logical.type = "Organization";
  logical.identifier = Identifier{"", "urn:x", "43", {}};
  EXPECT_EQ(resolve(logical).error(),
            unresolved("logical reference to a Organization (identifier system \"urn:x\") matches "
                       "no resource"));
}

TEST_F(ResourceIndexTest, MalformedEmptyAndWrongType) {
  EXPECT_EQ(resolve(ref("patient/1")).error(),
            unresolved("reference \"patient/1\" is not a valid FHIR reference"));
  EXPECT_EQ(resolve(ref("Patient/")).error(),
            unresolved("reference \"Patient/\" is not a valid FHIR reference"));
  EXPECT_EQ(resolve(Reference{}).error(), unresolved("empty reference"));
  EXPECT_EQ(resolve(ref("Practitioner/p1", "Organization")).error(),
            unresolved("reference \"Practitioner/p1\" resolves to a Practitioner but "
                       "Reference.type is Organization"));
  EXPECT_EQ(resolve(ref("Practitioner/p1", "Practitioner")).value(), entry(3));
}

TEST(ResourceIndexBulkTest, OwnsResourcesAddedFromManyFiles) {
  ResourceIndex index;
  const AnyResource& first = index.add(make<Patient>("p0"));
  for (int i = 1; i < 200; ++i) index.add(make<Patient>("p" + std::to_string(i)));
  index.add(make<Organization>("org", {Identifier{"", "urn:payer", "P1", {}}}), "urn:uuid:1");
  EXPECT_EQ(index.size(), 201u);
  // Pointers handed out earlier stay valid as the index grows.
  EXPECT_EQ(index.resolve(ref("Patient/p0"), first, "x").value(), &first);
  EXPECT_EQ(index.resolve(ref("Patient/p199"), first, "x").value()->id(), "p199");
  EXPECT_EQ(index.resolve(ref("Organization?identifier=urn:payer|P1"), first, "x").value()->id(),
            "org");
  EXPECT_EQ(index.resolve(ref("urn:uuid:1"), first, "x").value()->id(), "org");
}

}  // namespace
}  // namespace fhir837
