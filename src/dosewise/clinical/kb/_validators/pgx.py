# Generated from schema/pgx.schema.json by build_validators; do not edit.
# ruff: noqa
SCHEMA_SHA256 = '6b739b13a3cb7532b44d55d580fdaaadd06fff98bf769878742077929c66ff19'
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z0-9][a-z0-9\\-]*$': re.compile('^[a-z0-9][a-z0-9\\-]*\\Z'),
    '^[a-z][a-z0-9 \\-/]*$': re.compile('^[a-z][a-z0-9 \\-/]*\\Z'),
    '^(Ultrarapid Metabolizer|Rapid Metabolizer|Normal Metabolizer|Likely Intermediate Metabolizer|Intermediate Metabolizer|Likely Poor Metabolizer|Poor Metabolizer|Indeterminate|HLA-[A-Z0-9]+\\*[0-9]{2,3}:[0-9]{2,3} (positive|negative))$': re.compile('^(Ultrarapid Metabolizer|Rapid Metabolizer|Normal Metabolizer|Likely Intermediate Metabolizer|Intermediate Metabolizer|Likely Poor Metabolizer|Poor Metabolizer|Indeterminate|HLA-[A-Z0-9]+\\*[0-9]{2,3}:[0-9]{2,3} (positive|negative))\\Z'),
    '^(CYP[0-9][A-Z][0-9]+|HLA-[A-Z0-9]+)$': re.compile('^(CYP[0-9][A-Z][0-9]+|HLA-[A-Z0-9]+)\\Z'),
    '^\\*[0-9]{2,3}:[0-9]{2,3}$': re.compile('^\\*[0-9]{2,3}:[0-9]{2,3}\\Z'),
    '^\\*[0-9]+$': re.compile('^\\*[0-9]+\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain at least 1 properties")
        if data_len > 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain less than or equal to 1 properties")
        data_keys = set(data.keys())
        if "genes" in data_keys:
            data_keys.remove("genes")
            data__genes = data["genes"]
            if not isinstance(data__genes, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".genes must be array")
            data__genes_is_list = isinstance(data__genes, (list, tuple))
            if data__genes_is_list:
                data__genes_len = len(data__genes)
                if data__genes_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".genes must contain at least 1 items")
                for data__genes_x, data__genes_item in enumerate(data__genes):
                    validate___definitions_gene(data__genes_item, custom_formats, (name_prefix or "data") + ".genes[{data__genes_x}]".format(**locals()))
        if "recommendations" in data_keys:
            data_keys.remove("recommendations")
            data__recommendations = data["recommendations"]
            if not isinstance(data__recommendations, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".recommendations must be array")
            data__recommendations_is_list = isinstance(data__recommendations, (list, tuple))
            if data__recommendations_is_list:
                data__recommendations_len = len(data__recommendations)
                if data__recommendations_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".recommendations must contain at least 1 items")
                for data__recommendations_x, data__recommendations_item in enumerate(data__recommendations):
                    validate___definitions_recommendation(data__recommendations_item, custom_formats, (name_prefix or "data") + ".recommendations[{data__recommendations_x}]".format(**locals()))
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_recommendation(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['id', 'drug', 'gene', 'phenotypes', 'recommendation', 'strength', 'severity', 'source']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            if not isinstance(data__id, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".id must be string")
            if isinstance(data__id, str):
                if not REGEX_PATTERNS['^[a-z0-9][a-z0-9\\-]*$'].search(data__id):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".id must match pattern ^[a-z0-9][a-z0-9\\-]*$")
        if "drug" in data_keys:
            data_keys.remove("drug")
            data__drug = data["drug"]
            if not isinstance(data__drug, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".drug must be string")
            if isinstance(data__drug, str):
                if not REGEX_PATTERNS['^[a-z][a-z0-9 \\-/]*$'].search(data__drug):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".drug must match pattern ^[a-z][a-z0-9 \\-/]*$")
        if "gene" in data_keys:
            data_keys.remove("gene")
            data__gene = data["gene"]
            validate___definitions_gene_name(data__gene, custom_formats, (name_prefix or "data") + ".gene")
        if "phenotypes" in data_keys:
            data_keys.remove("phenotypes")
            data__phenotypes = data["phenotypes"]
            if not isinstance(data__phenotypes, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".phenotypes must be array")
            data__phenotypes_is_list = isinstance(data__phenotypes, (list, tuple))
            if data__phenotypes_is_list:
                data__phenotypes_len = len(data__phenotypes)
                if data__phenotypes_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".phenotypes must contain at least 1 items")
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                if data__phenotypes_len > len(set(fn(data__phenotypes_x) for data__phenotypes_x in data__phenotypes)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".phenotypes must contain unique items")
                for data__phenotypes_x, data__phenotypes_item in enumerate(data__phenotypes):
                    validate___definitions_phenotype(data__phenotypes_item, custom_formats, (name_prefix or "data") + ".phenotypes[{data__phenotypes_x}]".format(**locals()))
        if "recommendation" in data_keys:
            data_keys.remove("recommendation")
            data__recommendation = data["recommendation"]
            if not isinstance(data__recommendation, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".recommendation must be string")
            if isinstance(data__recommendation, str):
                data__recommendation_len = len(data__recommendation)
                if data__recommendation_len < 10:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".recommendation must be longer than or equal to 10 characters")
        if "strength" in data_keys:
            data_keys.remove("strength")
            data__strength = data["strength"]
            if not (isinstance(data__strength, str) and data__strength == 'Strong' or isinstance(data__strength, str) and data__strength == 'Moderate' or isinstance(data__strength, str) and data__strength == 'Optional' or isinstance(data__strength, str) and data__strength == 'FDA label'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".strength must be one of ['Strong', 'Moderate', 'Optional', 'FDA label']")
        if "severity" in data_keys:
            data_keys.remove("severity")
            data__severity = data["severity"]
            if not (isinstance(data__severity, str) and data__severity == 'major' or isinstance(data__severity, str) and data__severity == 'moderate' or isinstance(data__severity, str) and data__severity == 'minor'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".severity must be one of ['major', 'moderate', 'minor']")
        if "source" in data_keys:
            data_keys.remove("source")
            data__source = data["source"]
            validate___definitions_source(data__source, custom_formats, (name_prefix or "data") + ".source")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_source(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        data_len = len(data)
        if data_len < 8:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be longer than or equal to 8 characters")
    return data

def validate___definitions_phenotype(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^(Ultrarapid Metabolizer|Rapid Metabolizer|Normal Metabolizer|Likely Intermediate Metabolizer|Intermediate Metabolizer|Likely Poor Metabolizer|Poor Metabolizer|Indeterminate|HLA-[A-Z0-9]+\\*[0-9]{2,3}:[0-9]{2,3} (positive|negative))$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^(Ultrarapid Metabolizer|Rapid Metabolizer|Normal Metabolizer|Likely Intermediate Metabolizer|Intermediate Metabolizer|Likely Poor Metabolizer|Poor Metabolizer|Indeterminate|HLA-[A-Z0-9]+\\*[0-9]{2,3}:[0-9]{2,3} (positive|negative))$")
    return data

def validate___definitions_gene_name(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^(CYP[0-9][A-Z][0-9]+|HLA-[A-Z0-9]+)$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^(CYP[0-9][A-Z][0-9]+|HLA-[A-Z0-9]+)$")
    return data

def validate___definitions_gene(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "model" in data_keys:
                data_keys.remove("model")
                data__model = data["model"]
                if not (isinstance(data__model, str) and data__model == 'activity-score'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".model must be one of ['activity-score']")
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['alleles', 'activity_bands']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "model" in data_keys:
                data_keys.remove("model")
                data__model = data["model"]
                if not (isinstance(data__model, str) and data__model == 'function-pair'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".model must be one of ['function-pair']")
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['alleles', 'function_pairs']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "model" in data_keys:
                data_keys.remove("model")
                data__model = data["model"]
                if not (isinstance(data__model, str) and data__model == 'hla-carrier'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".model must be one of ['hla-carrier']")
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['carrier_allele']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['gene', 'model', 'source']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "gene" in data_keys:
            data_keys.remove("gene")
            data__gene = data["gene"]
            validate___definitions_gene_name(data__gene, custom_formats, (name_prefix or "data") + ".gene")
        if "model" in data_keys:
            data_keys.remove("model")
            data__model = data["model"]
            if not (isinstance(data__model, str) and data__model == 'activity-score' or isinstance(data__model, str) and data__model == 'function-pair' or isinstance(data__model, str) and data__model == 'hla-carrier'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".model must be one of ['activity-score', 'function-pair', 'hla-carrier']")
        if "copy_number" in data_keys:
            data_keys.remove("copy_number")
            data__copynumber = data["copy_number"]
            if not isinstance(data__copynumber, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".copy_number must be boolean")
        if "alleles" in data_keys:
            data_keys.remove("alleles")
            data__alleles = data["alleles"]
            if not isinstance(data__alleles, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".alleles must be array")
            data__alleles_is_list = isinstance(data__alleles, (list, tuple))
            if data__alleles_is_list:
                data__alleles_len = len(data__alleles)
                if data__alleles_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".alleles must contain at least 1 items")
                for data__alleles_x, data__alleles_item in enumerate(data__alleles):
                    validate___definitions_allele(data__alleles_item, custom_formats, (name_prefix or "data") + ".alleles[{data__alleles_x}]".format(**locals()))
        if "activity_bands" in data_keys:
            data_keys.remove("activity_bands")
            data__activitybands = data["activity_bands"]
            if not isinstance(data__activitybands, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".activity_bands must be array")
            data__activitybands_is_list = isinstance(data__activitybands, (list, tuple))
            if data__activitybands_is_list:
                data__activitybands_len = len(data__activitybands)
                if data__activitybands_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".activity_bands must contain at least 1 items")
                for data__activitybands_x, data__activitybands_item in enumerate(data__activitybands):
                    validate___definitions_activity_band(data__activitybands_item, custom_formats, (name_prefix or "data") + ".activity_bands[{data__activitybands_x}]".format(**locals()))
        if "function_pairs" in data_keys:
            data_keys.remove("function_pairs")
            data__functionpairs = data["function_pairs"]
            if not isinstance(data__functionpairs, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".function_pairs must be array")
            data__functionpairs_is_list = isinstance(data__functionpairs, (list, tuple))
            if data__functionpairs_is_list:
                data__functionpairs_len = len(data__functionpairs)
                if data__functionpairs_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".function_pairs must contain at least 1 items")
                for data__functionpairs_x, data__functionpairs_item in enumerate(data__functionpairs):
                    validate___definitions_function_pair(data__functionpairs_item, custom_formats, (name_prefix or "data") + ".function_pairs[{data__functionpairs_x}]".format(**locals()))
        if "carrier_allele" in data_keys:
            data_keys.remove("carrier_allele")
            data__carrierallele = data["carrier_allele"]
            if not isinstance(data__carrierallele, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".carrier_allele must be string")
            if isinstance(data__carrierallele, str):
                if not REGEX_PATTERNS['^\\*[0-9]{2,3}:[0-9]{2,3}$'].search(data__carrierallele):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".carrier_allele must match pattern ^\\*[0-9]{2,3}:[0-9]{2,3}$")
        if "note" in data_keys:
            data_keys.remove("note")
            data__note = data["note"]
            if not isinstance(data__note, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".note must be string")
        if "source" in data_keys:
            data_keys.remove("source")
            data__source = data["source"]
            validate___definitions_source(data__source, custom_formats, (name_prefix or "data") + ".source")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_function_pair(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['functions', 'phenotype']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "functions" in data_keys:
            data_keys.remove("functions")
            data__functions = data["functions"]
            if not isinstance(data__functions, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".functions must be array")
            data__functions_is_list = isinstance(data__functions, (list, tuple))
            if data__functions_is_list:
                data__functions_len = len(data__functions)
                if data__functions_len < 2:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".functions must contain at least 2 items")
                if data__functions_len > 2:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".functions must contain less than or equal to 2 items")
                for data__functions_x, data__functions_item in enumerate(data__functions):
                    validate___definitions_function(data__functions_item, custom_formats, (name_prefix or "data") + ".functions[{data__functions_x}]".format(**locals()))
        if "phenotype" in data_keys:
            data_keys.remove("phenotype")
            data__phenotype = data["phenotype"]
            validate___definitions_phenotype(data__phenotype, custom_formats, (name_prefix or "data") + ".phenotype")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_function(data, custom_formats={}, name_prefix=None):
    if not (isinstance(data, str) and data == 'Increased function' or isinstance(data, str) and data == 'Normal function' or isinstance(data, str) and data == 'Decreased function' or isinstance(data, str) and data == 'No function' or isinstance(data, str) and data == 'Uncertain function'):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['Increased function', 'Normal function', 'Decreased function', 'No function', 'Uncertain function']")
    return data

def validate___definitions_activity_band(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['phenotype']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "phenotype" in data_keys:
            data_keys.remove("phenotype")
            data__phenotype = data["phenotype"]
            validate___definitions_phenotype(data__phenotype, custom_formats, (name_prefix or "data") + ".phenotype")
        if "over" in data_keys:
            data_keys.remove("over")
            data__over = data["over"]
            if not isinstance(data__over, (int, float, Decimal)) or isinstance(data__over, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".over must be number")
        if "up_to" in data_keys:
            data_keys.remove("up_to")
            data__upto = data["up_to"]
            if not isinstance(data__upto, (int, float, Decimal)) or isinstance(data__upto, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".up_to must be number")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_allele(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['allele', 'function']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "allele" in data_keys:
            data_keys.remove("allele")
            data__allele = data["allele"]
            if not isinstance(data__allele, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".allele must be string")
            if isinstance(data__allele, str):
                if not REGEX_PATTERNS['^\\*[0-9]+$'].search(data__allele):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".allele must match pattern ^\\*[0-9]+$")
        if "function" in data_keys:
            data_keys.remove("function")
            data__function = data["function"]
            validate___definitions_function(data__function, custom_formats, (name_prefix or "data") + ".function")
        if "activity_value" in data_keys:
            data_keys.remove("activity_value")
            data__activityvalue = data["activity_value"]
            if not isinstance(data__activityvalue, (int, float, Decimal, NoneType)) or isinstance(data__activityvalue, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".activity_value must be number or null")
            if isinstance(data__activityvalue, (int, float, Decimal)) and not isinstance(data__activityvalue, bool):
                if data__activityvalue < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".activity_value must be bigger than or equal to 0")
        if "deletion" in data_keys:
            data_keys.remove("deletion")
            data__deletion = data["deletion"]
            if not isinstance(data__deletion, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".deletion must be boolean")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data