#include "simulator/pricing.h"

#include "engine/json_writer.h"
#include "simulator/embedded_resources.h"

#include <boost/json.hpp>

namespace capsim {

namespace json = boost::json;

namespace {

bool number(const json::object& o, const char* name, double& out, std::string& error, const std::string& path)
{
    const auto* v = o.if_contains(name);
    if (!v || !v->is_number() || v->to_number<double>() < 0) {
        error = path + name + ": must be a number >= 0";
        return false;
    }
    out = v->to_number<double>();
    return true;
}

bool classPrices(const json::object& classes, const char* name, ClassPrices& out, std::string& error)
{
    const auto* v = classes.if_contains(name);
    const std::string path = std::string("tableClasses.") + name + ".";
    if (!v || !v->is_object()) {
        error = std::string("tableClasses.") + name + ": missing";
        return false;
    }
    const auto& o = v->get_object();
    return number(o, "provisionedReadUnitHour", out.provisionedReadUnitHour, error, path)
        && number(o, "provisionedWriteUnitHour", out.provisionedWriteUnitHour, error, path)
        && number(o, "onDemandReadPerMillion", out.onDemandReadPerMillion, error, path)
        && number(o, "onDemandWritePerMillion", out.onDemandWritePerMillion, error, path)
        && number(o, "storageGBMonth", out.storageGBMonth, error, path);
}

} // namespace

Result<PricingTable> parsePricing(std::string_view text)
{
    json::value v;
    std::string error;
    if (!parseJsonText(text, v, error))
        return Status::validation("pricing file is not JSON: " + error);
    if (!v.is_object())
        return Status::validation("pricing file: must be a JSON object");
    const auto& o = v.get_object();
    const auto* format = o.if_contains("format");
    if (!format || !format->is_string() || format->get_string() != "capsim-pricing/1")
        return Status::validation("format: must be \"capsim-pricing/1\"");
    PricingTable p;
    for (auto [name, target] : { std::pair { "region", &p.region }, std::pair { "effectiveDate", &p.effectiveDate },
             std::pair { "currency", &p.currency } }) {
        const auto* s = o.if_contains(name);
        if (!s || !s->is_string())
            return Status::validation(std::string(name) + ": must be a string");
        *target = std::string(s->get_string());
    }
    if (o.contains("hoursPerMonth") && !number(o, "hoursPerMonth", p.hoursPerMonth, error, ""))
        return Status::validation(error);
    if (o.contains("bytesPerGB") && !number(o, "bytesPerGB", p.bytesPerGB, error, ""))
        return Status::validation(error);
    const auto* classes = o.if_contains("tableClasses");
    if (!classes || !classes->is_object())
        return Status::validation("tableClasses: missing");
    if (!classPrices(classes->get_object(), "STANDARD", p.standard, error)
        || !classPrices(classes->get_object(), "STANDARD_INFREQUENT_ACCESS", p.infrequentAccess, error))
        return Status::validation(error);
    if (const auto* free = o.if_contains("freeTier"); free && free->is_object()) {
        const auto& f = free->get_object();
        if (!number(f, "storageGB", p.freeStorageGB, error, "freeTier.")
            || !number(f, "provisionedReadUnits", p.freeReadUnits, error, "freeTier.")
            || !number(f, "provisionedWriteUnits", p.freeWriteUnits, error, "freeTier."))
            return Status::validation(error);
    }
    if (p.hoursPerMonth <= 0 || p.bytesPerGB <= 0)
        return Status::validation("hoursPerMonth and bytesPerGB: must be > 0");
    return p;
}

Result<PricingTable> builtInPricing(const std::string& region)
{
    const std::string* text = embeddedResource("pricing/" + region + ".json");
    if (!text)
        return Status::notFound("no built-in pricing for region " + region + "; pass a pricing file");
    return parsePricing(*text);
}

} // namespace capsim
